using Robotics.Core.Envs;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Pebble;

/// <summary>
/// Keeps the recent episodes of the env it wraps as trajectories (state view after each step, and the action) for
/// cutting queries: B-Pref's reward-model data, which holds the last max_size = 100 episodes. The episode under way
/// is kept too, so queries can come from it once it is a segment long.
/// </summary>
public sealed class TrajectoryRecorder : EnvWrapper
{
    private readonly FrankaEnv _franka;
    private readonly Queue<Trajectory> _finished = new();
    private Trajectory? _current;
    private int _resets;

    public TrajectoryRecorder(IEnv inner, string policyName = "agent", int keep = 100) : base(inner)
    {
        _franka = Unwrap<FrankaEnv>(inner) ?? throw new ArgumentException("the trajectory recorder reads the Franka state view; the wrapped env has no FrankaEnv inside");
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep));
        (PolicyName, Keep) = (policyName, keep);
    }

    public string PolicyName { get; }
    public int Keep { get; }
    /// <summary>Steps recorded in all.</summary>
    public long Steps { get; private set; }

    /// <summary>The finished episodes kept, oldest first, then the one under way.</summary>
    public IReadOnlyList<Trajectory> Trajectories
    {
        get
        {
            var list = _finished.ToList();
            if (_current is { Length: > 0 }) list.Add(_current);
            return list;
        }
    }

    /// <summary>The last <paramref name="count"/> finished episodes.</summary>
    public IReadOnlyList<Trajectory> RecentFinished(int count) => _finished.Skip(Math.Max(0, _finished.Count - count)).ToList();

    public override ResetResult Reset(int? seed = null)
    {
        Finish();
        var result = Inner.Reset(seed);
        _current = new Trajectory(PolicyName, seed ?? -(++_resets), ActionSpace.Dimension);
        return result;
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var result = Inner.Step(action);
        _current?.Add(_franka.State, action);
        Steps++;
        if (result.Done) Finish();
        return result;
    }

    private void Finish()
    {
        if (_current is not { Length: > 0 }) { _current = null; return; }
        _finished.Enqueue(_current);
        while (_finished.Count > Keep) _finished.Dequeue();
        _current = null;
    }
}
