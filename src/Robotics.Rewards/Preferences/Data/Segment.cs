using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Preferences.Data;

/// <summary>Where a segment was cut: the policy that drove the episode, the episode's reset seed, and the first step.</summary>
public readonly record struct SegmentOrigin(string Policy, int EpisodeSeed, int Start);

/// <summary>
/// A stretch of consecutive steps of one trajectory, the unit a teacher compares. Row t of <see cref="Inputs"/> is
/// what the reward model reads for step t (<see cref="RewardFeatures"/>: the state after the step, then the action).
/// Segments cut from a live trajectory also keep the state views, which scripted teachers label with a
/// ground-truth reward; segments read back from a dataset file have inputs only.
/// </summary>
public sealed class Segment
{
    public Segment(float[] inputs, int length, int actionSize, SegmentOrigin origin, FrankaState[]? states = null)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), $"a segment needs at least one step, got {length}");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), $"actions need at least one number, got {actionSize}");
        int inputSize = RewardFeatures.InputSize(actionSize);
        if (inputs.Length != length * inputSize)
            throw new ArgumentException($"a {length}-step segment of {inputSize}-number inputs holds {length * inputSize} numbers, got {inputs.Length}");
        if (states is not null && states.Length != length)
            throw new ArgumentException($"a {length}-step segment needs {length} states, got {states.Length}");
        (Inputs, Length, ActionSize, Origin, States) = (inputs, length, actionSize, origin, states);
    }

    /// <summary>[Length × InputSize], row-major.</summary>
    public float[] Inputs { get; }
    public int Length { get; }
    public int ActionSize { get; }
    public int InputSize => RewardFeatures.StateSize + ActionSize;
    public SegmentOrigin Origin { get; }
    /// <summary>The state view after each step, when known (null for segments loaded from a file).</summary>
    public FrankaState[]? States { get; }

    public ReadOnlySpan<float> Input(int t) => Inputs.AsSpan(t * InputSize, InputSize);
    public ReadOnlySpan<float> Action(int t) => Inputs.AsSpan(t * InputSize + RewardFeatures.StateSize, ActionSize);

    /// <summary>The states, or a clear error for a teacher that needs them.</summary>
    public FrankaState[] RequireStates() => States
        ?? throw new InvalidOperationException($"segment {Origin} has no state views (it was loaded from a file); a scripted teacher needs segments cut from live trajectories");
}
