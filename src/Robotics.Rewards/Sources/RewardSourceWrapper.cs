using Robotics.Core.Envs;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;

namespace Robotics.Rewards.Sources;

/// <summary>
/// Replaces a Franka env's reward with a reward source's, so agents train on it without knowing it changed. The
/// source reads the state view of the FrankaEnv inside the wrapper chain. Info keeps "success" (the task's own test)
/// and the env's own reward as "task_reward"; the source's components replace the task's under "reward/&lt;name&gt;".
/// </summary>
public sealed class RewardSourceWrapper : EnvWrapper
{
    public const string ComponentPrefix = "reward/";
    public const string TaskRewardKey = "task_reward";

    private readonly FrankaEnv _franka;
    private readonly List<string> _stale = new(); // reused: the step path allocates nothing of its own

    public RewardSourceWrapper(IEnv inner, IRewardSource source) : base(inner)
    {
        _franka = Unwrap<FrankaEnv>(inner)
                  ?? throw new ArgumentException($"reward source '{source.Name}' reads the Franka state view, but the wrapped env has no FrankaEnv inside");
        Source = source;
    }

    public IRewardSource Source { get; }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var result = Inner.Step(action);
        var label = Source.Label(_franka.State, action);
        var info = result.Info;
        _stale.Clear();
        foreach (var key in info.Keys)
            if (key.StartsWith(ComponentPrefix, StringComparison.Ordinal)) _stale.Add(key);
        foreach (var key in _stale) info.Remove(key);
        info[TaskRewardKey] = result.Reward;
        foreach (var (name, value) in label.Components) info[ComponentPrefix + name] = value;
        return result with { Reward = label.Reward };
    }
}
