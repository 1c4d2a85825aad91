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

    /// <summary>The last component names seen and their short forms: tasks name them with literals, so this is reused every step.</summary>
    private (string Original, string Short)[] _names = [];

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        var result = Task.ComputeReward(state, action);
        var names = ShortNames(result.Components);
        var components = new (string, double)[result.Components.Length];
        for (int i = 0; i < components.Length; i++) components[i] = (names[i].Short, result.Components[i].Value);
        return new RewardLabel(result.Reward, components);
    }

    private (string Original, string Short)[] ShortNames((string Name, double Value)[] components)
    {
        var names = _names;
        bool same = names.Length == components.Length;
        for (int i = 0; same && i < names.Length; i++) same = ReferenceEquals(names[i].Original, components[i].Name);
        if (same) return names;
        names = components.Select(c => (c.Name, c.Name.StartsWith(Prefix, StringComparison.Ordinal) ? c.Name[Prefix.Length..] : c.Name)).ToArray();
        _names = names; // a whole-array swap: env threads sharing this source see either table, both correct
        return names;
    }
}
