using Robotics.Core.Envs;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Vision;

/// <summary>
/// Replaces a Franka env's reward with a frame-based source's, rendering the scene after every step (from
/// <paramref name="camera"/>, or the env's own camera). Info is laid out as <see cref="RewardSourceWrapper"/> lays it
/// out: "task_reward" keeps the env's own reward, the source's components go under "reward/&lt;name&gt;", "success" stays.
/// One wrapper per env copy, since each renders its own scene; the source may be shared. One CLIP forward per step:
/// what on-policy PPO uses; SAC labels its replay buffer in batches instead (<see cref="BatchedFrameRewards"/>).
/// </summary>
public sealed class FrameRewardWrapper : EnvWrapper
{
    private readonly FrankaEnv _franka;
    private readonly string? _camera;
    private readonly List<string> _stale = new();

    public FrameRewardWrapper(IEnv inner, IFrameRewardSource source, string? camera = null) : base(inner)
    {
        _franka = Unwrap<FrankaEnv>(inner)
                  ?? throw new ArgumentException($"reward source '{source.Name}' needs rendered frames, but the wrapped env has no FrankaEnv inside");
        (Source, _camera) = (source, camera);
    }

    public IFrameRewardSource Source { get; }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var result = Inner.Step(action);
        var frame = _camera is null ? _franka.Render() : _franka.Render(_camera);
        var label = Source.LabelFrames([frame])[0];
        RewardSourceWrapper.SetAsideTaskReward(result, _stale);
        foreach (var (name, value) in label.Components) result.Info[RewardSourceWrapper.ComponentPrefix + name] = value;
        return result with { Reward = label.Reward };
    }
}
