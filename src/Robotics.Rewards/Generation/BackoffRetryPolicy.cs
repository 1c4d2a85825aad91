using System.ClientModel.Primitives;
using System.Globalization;

namespace Robotics.Rewards.Generation;

/// <summary>
/// Retries what the pipeline deems retriable (timeouts, connection failures, 408, 429, 5xx) with exponential backoff:
/// the first wait is <c>initial</c>, each next one doubles, all with ±25% jitter so parallel clients spread out. A
/// server's Retry-After header (seconds), as rate-limited servers send with 429, is honoured up to a minute.
/// </summary>
public sealed class BackoffRetryPolicy(int maxRetries, TimeSpan initial) : ClientRetryPolicy(maxRetries)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        if (message.Response?.Headers.TryGetValue("Retry-After", out var header) == true
            && double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxWait.TotalSeconds));
        double jitter = 0.75 + 0.5 * Random.Shared.NextDouble();
        double wait = initial.TotalSeconds * Math.Pow(2, Math.Max(0, tryCount - 1)) * jitter;
        return TimeSpan.FromSeconds(Math.Min(wait, MaxWait.TotalSeconds));
    }
}
