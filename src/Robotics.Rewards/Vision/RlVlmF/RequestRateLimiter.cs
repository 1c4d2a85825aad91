namespace Robotics.Rewards.Vision.RlVlmF;

/// <summary>
/// Spaces request starts at least 60 / <see cref="RequestsPerMinute"/> seconds apart, across every caller: hosted VLMs
/// limit requests per minute, and staying under the limit is cheaper than being told so by 429s and backing off.
/// (The retry policy still handles the 429s a shared key gets anyway.)
/// </summary>
public sealed class RequestRateLimiter
{
    private readonly TimeSpan _interval;
    private readonly object _lock = new();
    private DateTime _next = DateTime.MinValue;

    public RequestRateLimiter(double requestsPerMinute)
    {
        if (!(requestsPerMinute > 0) || !double.IsFinite(requestsPerMinute))
            throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), requestsPerMinute, "must be a positive number");
        RequestsPerMinute = requestsPerMinute;
        _interval = TimeSpan.FromSeconds(60 / requestsPerMinute);
    }

    public double RequestsPerMinute { get; }

    /// <summary>Waits for this caller's slot: each call takes the next free one, so concurrent callers queue in order.</summary>
    public Task WaitAsync(CancellationToken cancellation = default)
    {
        DateTime slot;
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            slot = _next > now ? _next : now;
            _next = slot + _interval;
        }
        var wait = slot - DateTime.UtcNow;
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellation) : Task.CompletedTask;
    }
}
