using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Sources;

/// <summary>
/// The task's hand-written reward as a reward source, so hand-written and generated rewards are used, summed and
/// compared the same way. The task's component names lose their "reward/" prefix, which the env wrapper adds back.
/// </summary>
public sealed class TaskRewardSource(IFrankaTask task) : IRewardSource
{
    private const string Prefix = "reward/";

    public IFrankaTask Task { get; } = task;
    public string Name => "task";

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        var result = Task.ComputeReward(state, action);
        var components = new (string, double)[result.Components.Length];
        for (int i = 0; i < components.Length; i++)
        {
            var (name, value) = result.Components[i];
            components[i] = (name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name, value);
        }
        return new RewardLabel(result.Reward, components);
    }
}
