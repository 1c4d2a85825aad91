using System.Globalization;

namespace Robotics.Deploy.Safety;

/// <summary>The watchdog's deadlines.</summary>
public sealed record WatchdogOptions
{
    /// <summary>A state older than this (upper bound from the clock samples) is not acted on: hold.</summary>
    public double StateDeadlineMs { get; init; } = 200;
    /// <summary>The policy must answer within this of being asked; null = one control period.</summary>
    public double? PolicyDeadlineMs { get; init; }
    /// <summary>With no fresh state or no policy output for this long, the run stops (the robot latches a stop).</summary>
    public double StopAfterMs { get; init; } = 1000;

    public void Validate()
    {
        if (!(StateDeadlineMs > 0)) throw new ArgumentException($"the state deadline must be positive, got {StateDeadlineMs} ms");
        if (PolicyDeadlineMs is double p && !(p > 0)) throw new ArgumentException($"the policy deadline must be positive, got {p} ms");
        if (!(StopAfterMs >= StateDeadlineMs)) throw new ArgumentException($"the stop deadline ({StopAfterMs} ms) must not be shorter than the state deadline ({StateDeadlineMs} ms)");
    }
}

/// <summary>What the watchdog allows this control step.</summary>
public readonly record struct WatchdogVerdict(WatchdogAction Action, InterventionKind Kind, string Reason)
{
    public static WatchdogVerdict Proceed => new(WatchdogAction.Proceed, default, "");
}

public enum WatchdogAction { Proceed, Hold, Stop }

/// <summary>
/// Decides, each control step, whether the controller may act: only on a state younger than the state deadline,
/// and only while the policy keeps answering; a gap in either longer than the stop deadline ends the run. An
/// operator stop latches. Time is the controller's monotonic clock in microseconds, passed in so tests control it.
/// </summary>
public sealed class Watchdog
{
    private readonly WatchdogOptions _options;
    private long _lastFreshState, _lastPolicyOutput;
    private string? _operatorStop;

    public Watchdog(WatchdogOptions options, long nowMicros)
    {
        options.Validate();
        _options = options;
        Restart(nowMicros);
    }

    public WatchdogOptions Options => _options;
    public bool OperatorStopped => _operatorStop is not null;

    /// <summary>Starts the deadlines over (a new episode: the robot has just answered a Reset).</summary>
    public void Restart(long nowMicros) => _lastFreshState = _lastPolicyOutput = nowMicros;

    /// <summary>Latches an operator stop; the next check returns Stop. Safe to call from any thread (Ctrl-C).</summary>
    public void RequestOperatorStop(string reason) => Interlocked.CompareExchange(ref _operatorStop, reason, null);

    /// <summary>Checks the state the controller is about to act on; <paramref name="stateAgeMs"/> null = none available.</summary>
    public WatchdogVerdict CheckState(long nowMicros, double? stateAgeMs)
    {
        if (_operatorStop is { } why) return new(WatchdogAction.Stop, InterventionKind.OperatorStop, why);
        if (stateAgeMs is double age && age <= _options.StateDeadlineMs)
        {
            _lastFreshState = nowMicros;
            return WatchdogVerdict.Proceed;
        }
        double gap = (nowMicros - _lastFreshState) / 1000.0;
        var what = stateAgeMs is double a ? $"the newest state is up to {F(a)} ms old (deadline {F(_options.StateDeadlineMs)} ms)" : "no state has arrived";
        return gap > _options.StopAfterMs
            ? new(WatchdogAction.Stop, InterventionKind.WatchdogStop, $"{what}; no fresh state for {F(gap)} ms (stop after {F(_options.StopAfterMs)} ms)")
            : new(WatchdogAction.Hold, InterventionKind.StaleState, what);
    }

    /// <summary>Records that the policy answered in time.</summary>
    public void PolicyAnswered(long nowMicros) => _lastPolicyOutput = nowMicros;

    /// <summary>The verdict when the policy did not answer in time (<paramref name="kind"/> says how it failed).</summary>
    public WatchdogVerdict PolicyMissed(long nowMicros, InterventionKind kind, string reason)
    {
        double gap = (nowMicros - _lastPolicyOutput) / 1000.0;
        return gap > _options.StopAfterMs
            ? new(WatchdogAction.Stop, InterventionKind.WatchdogStop, $"{reason}; no policy output for {F(gap)} ms (stop after {F(_options.StopAfterMs)} ms)")
            : new(WatchdogAction.Hold, kind, reason);
    }

    private static string F(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);
}
