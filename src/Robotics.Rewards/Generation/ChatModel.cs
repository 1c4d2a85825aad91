namespace Robotics.Rewards.Generation;

public enum ChatRole { System, User, Assistant }

/// <summary>One message of a chat-completions conversation.</summary>
public sealed record ChatTurn(ChatRole Role, string Text);

/// <summary>An LLM behind the chat-completions protocol; the generator depends on this, not on a vendor's client.</summary>
public interface IChatModel
{
    /// <summary>Which model at which server, for logs and the run directory.</summary>
    string Describe { get; }

    /// <summary>The assistant's reply text to the conversation.</summary>
    Task<string> CompleteAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellation = default);
}

/// <summary>The LLM could not be reached or refused to answer; the message says which server and why.</summary>
public sealed class LlmException(string message, Exception? inner = null) : Exception(message, inner);
