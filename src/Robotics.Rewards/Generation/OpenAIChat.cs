using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Robotics.Rewards.Generation;

/// <summary>
/// What the text (LLM) and vision (VLM) clients share: OpenAI's .NET chat client pointed at any compatible base URL,
/// with per-attempt timeouts and <see cref="BackoffRetryPolicy"/>'s retries, and one call whose failures become
/// <see cref="LlmException"/>s that name the server.
/// </summary>
internal static class OpenAIChat
{
    public static ChatClient Client(LlmSettings settings)
    {
        settings.Validate();
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.BaseUrl),
            NetworkTimeout = settings.Timeout,
            RetryPolicy = new BackoffRetryPolicy(settings.MaxRetries, settings.RetryDelay),
        };
        // Local servers ignore the key, but the client insists on one.
        return new ChatClient(settings.Model, new ApiKeyCredential(settings.ApiKey ?? "no-key"), options);
    }

    /// <param name="who">"LLM" or "VLM", for the messages</param>
    public static async Task<ChatCompletion> CompleteAsync(ChatClient client, IEnumerable<ChatMessage> messages, LlmSettings settings, string who,
                                                          CancellationToken cancellation)
    {
        var options = new ChatCompletionOptions { Temperature = (float?)settings.Temperature, MaxOutputTokenCount = settings.MaxOutputTokens };
        try
        {
            return (await client.CompleteChatAsync(messages, options, cancellation).ConfigureAwait(false)).Value;
        }
        catch (ClientResultException e)
        {
            throw new LlmException($"the {who} ({Describe(settings)}) answered HTTP {e.Status}: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            throw new LlmException($"the {who} ({Describe(settings)}) could not be reached after {settings.MaxRetries} retries: {e.Message}", e);
        }
    }

    public static string Describe(LlmSettings settings) => $"{settings.Model} at {settings.BaseUrl}";

    /// <summary>The reply's text parts, joined.</summary>
    public static string TextOf(ChatCompletion completion) =>
        string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
}
