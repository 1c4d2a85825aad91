using Robotics.Core.Envs;

namespace Robotics.Core.Wrappers;

/// <summary>Truncates (never terminates) an episode after a fixed number of steps; the only wrapper that truncates.</summary>
public sealed class TimeLimit : EnvWrapper
{
    private int _elapsed;
    public int MaxEpisodeSteps { get; }
    public int ElapsedSteps => _elapsed;

    public TimeLimit(IEnv inner, int maxEpisodeSteps) : base(inner)
    {
        if (maxEpisodeSteps <= 0) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), $"must be positive, got {maxEpisodeSteps}");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    public override ResetResult Reset(int? seed = null)
    {
        _elapsed = 0;
        return Inner.Reset(seed);
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var r = Inner.Step(action);
        _elapsed++;
        return _elapsed >= MaxEpisodeSteps ? r with { Truncated = true } : r;
    }
}
