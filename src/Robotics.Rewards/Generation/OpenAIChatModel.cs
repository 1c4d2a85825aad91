using OpenAI.Chat;

namespace Robotics.Rewards.Generation;

/// <summary>
/// The chat-completions protocol through OpenAI's own .NET client, pointed at any compatible server by its base URL
/// (OpenAI, vLLM, Ollama, LM Studio). Timeouts apply per attempt; retries and backoff are <see cref="BackoffRetryPolicy"/>'s.
/// </summary>
public sealed class OpenAIChatModel : IChatModel
{
    private readonly ChatClient _client;
    private readonly LlmSettings _settings;

    public OpenAIChatModel(LlmSettings settings)
    {
        _client = OpenAIChat.Client(settings);
        _settings = settings;
    }

    public string Describe => OpenAIChat.Describe(_settings);

    public async Task<string> CompleteAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellation = default)
    {
        var messages = conversation.Select<ChatTurn, ChatMessage>(t => t.Role switch
        {
            ChatRole.System => new SystemChatMessage(t.Text),
            ChatRole.User => new UserChatMessage(t.Text),
            _ => new AssistantChatMessage(t.Text),
        });
        var completion = await OpenAIChat.CompleteAsync(_client, messages, _settings, "LLM", cancellation).ConfigureAwait(false);
        var text = OpenAIChat.TextOf(completion);
        if (string.IsNullOrWhiteSpace(text))
            throw new LlmException($"the LLM ({Describe}) returned no text (finish reason: {completion.FinishReason})");
        return text;
    }
}
