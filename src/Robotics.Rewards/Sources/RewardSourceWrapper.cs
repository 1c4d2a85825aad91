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
        SetAsideTaskReward(result, _stale);
        foreach (var (name, value) in label.Components) result.Info[ComponentPrefix + name] = value;
        return result with { Reward = label.Reward };
    }

    /// <summary>
    /// What every reward-replacing wrapper does to the step's info: the env's own reward is kept as "task_reward" and the
    /// env's components are dropped, so they are never logged as the new reward's. <paramref name="scratch"/> is reused
    /// by the caller so the step path allocates nothing.
    /// </summary>
    public static void SetAsideTaskReward(in StepResult result, List<string> scratch)
    {
        var info = result.Info;
        scratch.Clear();
        foreach (var key in info.Keys)
            if (key.StartsWith(ComponentPrefix, StringComparison.Ordinal)) scratch.Add(key);
        foreach (var key in scratch) info.Remove(key);
        info[TaskRewardKey] = result.Reward;
    }
}
