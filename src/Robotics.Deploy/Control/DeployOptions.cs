using Robotics.Deploy.Safety;

namespace Robotics.Deploy.Control;

/// <summary>How `robo deploy` runs the control loop.</summary>
public sealed record DeployOptions
{
    /// <summary>Control rate: one policy call and one command per period.</summary>
    public double RateHz { get; init; } = 20;
    /// <summary>Length of each episode; the episode ends earlier only on a stop, or on success with <see cref="StopOnSuccess"/>.</summary>
    public double DurationSeconds { get; init; } = 30;
    public int Episodes { get; init; } = 1;
    /// <summary>Episode i asks the robot for seed + i (a simulator randomises with it; a real cell ignores it). Null: the robot chooses.</summary>
    public int? Seed { get; init; }
    public bool StopOnSuccess { get; init; }
    public SafetyLimits Limits { get; init; } = new();
    public WatchdogOptions Watchdog { get; init; } = new();
    /// <summary>How long the robot may take to start an episode.</summary>
    public TimeSpan ResetTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long the first policy call (library loading, JIT) may take, before the first episode.</summary>
    public TimeSpan WarmUpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int StepsPerEpisode => (int)Math.Round(DurationSeconds * RateHz);
    public double Period => 1 / RateHz;

    public void Validate()
    {
        if (!(RateHz > 0) || !double.IsFinite(RateHz) || RateHz > 1000) throw new ArgumentException($"--rate must be in (0, 1000] Hz, got {RateHz}");
        if (!(DurationSeconds > 0) || !double.IsFinite(DurationSeconds)) throw new ArgumentException($"--duration must be a positive number of seconds, got {DurationSeconds}");
        if (StepsPerEpisode < 1) throw new ArgumentException($"--duration {DurationSeconds} s at {RateHz} Hz is less than one control step");
        if (Episodes < 1) throw new ArgumentException($"--episodes must be at least 1, got {Episodes}");
        Limits.Validate();
        Watchdog.Validate();
    }
}
