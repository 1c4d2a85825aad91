using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Vision;

/// <summary>
/// Renders the scene after every step (from <paramref name="camera"/>, or the env's own camera) and keeps the frame
/// until <see cref="Take"/>, for a reward that labels frames in batches after the fact (<see cref="BatchedFrameRewards"/>).
/// The step's reward becomes <see cref="Placeholder"/>: NaN, so a transition trained on before its label is written
/// fails SAC's loss check loudly instead of training on a made-up number. Info keeps the env's own reward as
/// "task_reward" and "success" as it was; the env's reward components are dropped, as every reward-replacing wrapper drops them.
/// </summary>
public sealed class FrameCaptureWrapper : EnvWrapper
{
    public const double Placeholder = double.NaN;

    private readonly FrankaEnv _franka;
    private readonly string? _camera;
    private readonly List<string> _stale = new();
    private (RgbImage Frame, bool EpisodeEnded)? _last;

    public FrameCaptureWrapper(IEnv inner, string? camera = null) : base(inner)
    {
        _franka = Unwrap<FrankaEnv>(inner) ?? throw new ArgumentException("frame rewards need rendered frames, but the wrapped env has no FrankaEnv inside");
        _camera = camera;
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var result = Inner.Step(action);
        _last = (_camera is null ? _franka.Render() : _franka.Render(_camera), result.Done);
        RewardSourceWrapper.SetAsideTaskReward(result, _stale);
        return result with { Reward = Placeholder };
    }

    /// <summary>The frame after the last step and whether that step ended the episode; each frame is handed out once.</summary>
    public (RgbImage Frame, bool EpisodeEnded) Take()
    {
        var last = _last ?? throw new InvalidOperationException("no step's frame is waiting: Take is called once after each Step");
        _last = null;
        return last;
    }
}
