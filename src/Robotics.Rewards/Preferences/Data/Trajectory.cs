using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Preferences.Data;

/// <summary>
/// One recorded episode (or the part of it so far): per step the state view after the step and the action taken.
/// Segments are cut from it; nothing else is kept (rewards come from whichever teacher or model reads the states).
/// </summary>
public sealed class Trajectory(string policy, int episodeSeed, int actionSize)
{
    private readonly List<FrankaState> _states = new();
    private readonly List<float> _actions = new();

    public string Policy { get; } = policy;
    public int EpisodeSeed { get; } = episodeSeed;
    public int ActionSize { get; } = actionSize > 0 ? actionSize : throw new ArgumentOutOfRangeException(nameof(actionSize));
    public int Length => _states.Count;
    public IReadOnlyList<FrankaState> States => _states;

    public void Add(in FrankaState stateAfter, ReadOnlySpan<float> action)
    {
        if (action.Length != ActionSize) throw new ArgumentException($"this trajectory records {ActionSize}-number actions, got {action.Length}");
        _states.Add(stateAfter);
        foreach (var a in action) _actions.Add(a);
    }

    public ReadOnlySpan<float> Action(int t) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_actions).Slice(t * ActionSize, ActionSize);

    /// <summary>Steps <paramref name="start"/> … start + length − 1 as a segment (states kept for teachers).</summary>
    public Segment Cut(int start, int length)
    {
        if (start < 0 || length < 1 || start + length > Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"steps {start}..{start + length - 1} are not inside a {Length}-step trajectory");
        int inputSize = RewardFeatures.InputSize(ActionSize);
        var inputs = new float[length * inputSize];
        var states = new FrankaState[length];
        for (int t = 0; t < length; t++)
        {
            states[t] = _states[start + t];
            RewardFeatures.Write(states[t], Action(start + t), inputs.AsSpan(t * inputSize, inputSize));
        }
        return new Segment(inputs, length, ActionSize, new SegmentOrigin(Policy, EpisodeSeed, start), states);
    }
}
