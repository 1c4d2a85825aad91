namespace Robotics.Rewards.Generation;

/// <summary>
/// Where the LLM is and how patiently to ask it. Unset values come from the environment as OpenAI's tools read it
/// (OPENAI_BASE_URL, OPENAI_API_KEY, and OPENAI_MODEL for the model), so the same settings reach OpenAI, vLLM,
/// Ollama or LM Studio by changing the base URL.
/// </summary>
public sealed record LlmSettings
{
    public const string OpenAIBaseUrl = "https://api.openai.com/v1";
    public const string DefaultModel = "gpt-4o";

    /// <summary>The server's OpenAI-compatible root, e.g. http://localhost:11434/v1 for Ollama.</summary>
    public string BaseUrl { get; init; } = OpenAIBaseUrl;
    /// <summary>Local servers accept any key; OpenAI's own needs a real one.</summary>
    public string? ApiKey { get; init; }
    public string Model { get; init; } = DefaultModel;
    /// <summary>Per request attempt; a long program from a slow local model can take minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(180);
    /// <summary>Retries after the first attempt, for timeouts, 408, 429 and 5xx answers.</summary>
    public int MaxRetries { get; init; } = 3;
    /// <summary>The first retry waits this long, each next one twice as long (a Retry-After header takes precedence).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>The paper samples with temperature; null leaves the server's default.</summary>
    public double? Temperature { get; init; }
    public int? MaxOutputTokens { get; init; }

    /// <summary>Explicit values win; the environment fills the rest.</summary>
    public static LlmSettings FromEnvironment(string? model = null, string? baseUrl = null, string? apiKey = null) => new()
    {
        Model = First(model, Environment.GetEnvironmentVariable("OPENAI_MODEL")) ?? DefaultModel,
        BaseUrl = First(baseUrl, Environment.GetEnvironmentVariable("OPENAI_BASE_URL")) ?? OpenAIBaseUrl,
        ApiKey = First(apiKey, Environment.GetEnvironmentVariable("OPENAI_API_KEY")),
    };

    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"the LLM base URL must be an http(s) URL, got '{BaseUrl}'");
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("name the LLM model (--model, or OPENAI_MODEL)");
        if (ApiKey is null && uri.Host == "api.openai.com") throw new ArgumentException("OpenAI's API needs a key: set OPENAI_API_KEY");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"the LLM timeout must be positive, got {Timeout}");
        if (MaxRetries < 0) throw new ArgumentException($"retries must be 0 or more, got {MaxRetries}");
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
