using OpenAI.Chat;
using Robotics.Core.Images;
using Robotics.Rewards.Generation;

namespace Robotics.Rewards.Vision.RlVlmF;

/// <summary>A piece of a message: text, or an image sent inline.</summary>
public abstract record VisionPart
{
    public sealed record Text(string Value) : VisionPart;
    public sealed record Image(RgbImage Value) : VisionPart;
}

/// <summary>One message of a vision chat: its parts in order, so text and images can interleave ("Image 1:", image, "Image 2:", image).</summary>
public sealed record VisionTurn(ChatRole Role, IReadOnlyList<VisionPart> Parts)
{
    public static VisionTurn User(params VisionPart[] parts) => new(ChatRole.User, parts);
}

/// <summary>A vision-language model behind the chat-completions protocol; the labeller depends on this, not on a vendor's client.</summary>
public interface IVisionChatModel
{
    string Describe { get; }
    string Model { get; }
    Task<string> CompleteAsync(IReadOnlyList<VisionTurn> conversation, CancellationToken cancellation = default);
}

/// <summary>
/// OpenAI's vision chat format through OpenAI's .NET client, at any compatible base URL (OpenAI, vLLM, Ollama):
/// images go as PNG data URLs (data:image/png;base64,…) in image_url content parts. Per-attempt timeouts, and retries
/// with backoff that honour Retry-After on 429, are <see cref="BackoffRetryPolicy"/>'s, as for the text model.
/// </summary>
public sealed class OpenAIVisionChatModel : IVisionChatModel
{
    private readonly ChatClient _client;
    private readonly LlmSettings _settings;
    private readonly ChatImageDetailLevel? _detail;

    /// <param name="detail">OpenAI's image detail ("low" is one 512² tile: cheap, and enough for a 224² frame); null leaves the server's default</param>
    public OpenAIVisionChatModel(LlmSettings settings, string? detail = "low")
    {
        _client = OpenAIChat.Client(settings);
        _settings = settings;
        _detail = detail is null ? null : new ChatImageDetailLevel(detail);
    }

    public string Describe => OpenAIChat.Describe(_settings);
    public string Model => _settings.Model;

    public async Task<string> CompleteAsync(IReadOnlyList<VisionTurn> conversation, CancellationToken cancellation = default) =>
        OpenAIChat.TextOf(await OpenAIChat.CompleteAsync(_client, conversation.Select(Message), _settings, "VLM", cancellation).ConfigureAwait(false));

    private ChatMessage Message(VisionTurn turn)
    {
        if (turn.Role == ChatRole.System) return new SystemChatMessage(string.Concat(turn.Parts.OfType<VisionPart.Text>().Select(t => t.Value)));
        if (turn.Role == ChatRole.Assistant) return new AssistantChatMessage(string.Concat(turn.Parts.OfType<VisionPart.Text>().Select(t => t.Value)));
        var parts = turn.Parts.Select(p => p switch
        {
            VisionPart.Text t => ChatMessageContentPart.CreateTextPart(t.Value),
            VisionPart.Image i => ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(PngBytes(i.Value)), "image/png", _detail),
            _ => throw new ArgumentException($"unknown message part {p.GetType().Name}"),
        });
        return new UserChatMessage(parts);
    }

    public static byte[] PngBytes(RgbImage image)
    {
        using var stream = new MemoryStream();
        Png.Write(stream, image);
        return stream.ToArray();
    }
}
