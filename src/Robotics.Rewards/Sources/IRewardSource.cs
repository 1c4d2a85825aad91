using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Sources;

/// <summary>
/// One labelled step: the reward and its named parts (logged under "reward/&lt;name&gt;"). Components are what a
/// person reads in the metrics to see why a reward is what it is; the reward alone is what the agent learns from.
/// </summary>
public readonly record struct RewardLabel(double Reward, (string Name, double Value)[] Components);

/// <summary>
/// A step as a reward source sees it. <see cref="State"/> is the state view after the step (what the env's own task
/// reward reads); the observations ride along for learned sources that work from observations rather than state.
/// </summary>
public readonly record struct RewardTransition(FrankaState State, float[] Action, float[]? Observation = null, float[]? NextObservation = null);

/// <summary>
/// Where rewards come from: the task's hand-written reward, a generated program, a weighted sum of sources, and later
/// learned or VLM-based sources. A source labels transitions; it never reaches into an agent, and agents never know
/// which source is in use (the env wrapper <see cref="RewardSourceWrapper"/> swaps the reward under them).
/// </summary>
public interface IRewardSource
{
    /// <summary>A short name, used as the component name when this source is part of a sum.</summary>
    string Name { get; }

    /// <summary>Labels one step, on the env's thread, as it happens.</summary>
    RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action);

    /// <summary>
    /// Labels many steps at once (relabelling a buffer, or sources that batch a network or a VLM call).
    /// Per-step sources need not override it.
    /// </summary>
    RewardLabel[] LabelBatch(IReadOnlyList<RewardTransition> batch)
    {
        var labels = new RewardLabel[batch.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = Label(batch[i].State, batch[i].Action);
        return labels;
    }
}
