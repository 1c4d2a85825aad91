using System.ClientModel;
using OpenAI;
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
        settings.Validate();
        _settings = settings;
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.BaseUrl),
            NetworkTimeout = settings.Timeout,
            RetryPolicy = new BackoffRetryPolicy(settings.MaxRetries, settings.RetryDelay),
        };
        // Local servers ignore the key, but the client insists on one.
        _client = new ChatClient(settings.Model, new ApiKeyCredential(settings.ApiKey ?? "no-key"), options);
    }

    public string Describe => $"{_settings.Model} at {_settings.BaseUrl}";

    public async Task<string> CompleteAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellation = default)
    {
        var messages = conversation.Select<ChatTurn, ChatMessage>(t => t.Role switch
        {
            ChatRole.System => new SystemChatMessage(t.Text),
            ChatRole.User => new UserChatMessage(t.Text),
            _ => new AssistantChatMessage(t.Text),
        }).ToList();
        var options = new ChatCompletionOptions
        {
            Temperature = (float?)_settings.Temperature,
            MaxOutputTokenCount = _settings.MaxOutputTokens,
        };
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(messages, options, cancellation).ConfigureAwait(false)).Value;
        }
        catch (ClientResultException e)
        {
            throw new LlmException($"the LLM ({Describe}) answered HTTP {e.Status}: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            throw new LlmException($"the LLM ({Describe}) could not be reached after {_settings.MaxRetries} retries: {e.Message}", e);
        }
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (string.IsNullOrWhiteSpace(text))
            throw new LlmException($"the LLM ({Describe}) returned no text (finish reason: {completion.FinishReason})");
        return text;
    }
}
