using Robotics.Core.Images;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Sources;
using Robotics.Rewards.Vision.Clip;
using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.VlmRm;

/// <summary>
/// The VLM-RM reward as a reward source: frames are embedded by CLIP in batches, the prompts once (cached), and each
/// frame's reward is <see cref="GoalProjection.Reward"/>. Components: the reward itself, and the plain cosine
/// similarities to the goal and to the baseline, so a run's metrics show which one moved.
/// As an <see cref="IRewardSource"/> it labels the current frame from <see cref="CurrentFrame"/> (set by
/// <see cref="FrameRewardWrapper"/> per env copy); batches of past steps need their frames, through
/// <see cref="LabelFrames"/> or <see cref="ReplayRelabeller"/> (which <see cref="BatchedFrameRewards"/> drives for SAC). Serialised: one CLIP forward at a time.
/// </summary>
public sealed class VlmRmRewardSource : IFrameRewardSource, IRewardSource, IDisposable
{
    public const string GoalComponent = "goal_cosine", BaselineComponent = "baseline_cosine";

    private readonly ClipEmbedder _clip;
    private readonly bool _ownsClip;
    private readonly GoalProjection _projection;
    private readonly object _lock = new();

    public VlmRmConfig Config { get; }
    public TextEmbeddingCache Texts { get; }
    public GoalProjection Projection => _projection;
    public string Name => "vlm_rm";
    /// <summary>Frames embedded so far.</summary>
    public long FramesEmbedded { get; private set; }
    /// <summary>CLIP image forward passes so far (one per batch).</summary>
    public long ImageBatches { get; private set; }

    /// <summary>Where <see cref="Label"/> gets the frame of the step it labels; null when the source is used for batches only.</summary>
    public Func<RgbImage>? CurrentFrame { get; set; }

    public VlmRmRewardSource(ClipEmbedder clip, VlmRmConfig config, TextEmbeddingCache? texts = null, bool ownsClip = false)
    {
        config.Validate();
        (_clip, Config, _ownsClip) = (clip, config, ownsClip);
        Texts = texts ?? new TextEmbeddingCache(clip.EmbedTexts);
        using var scope = NewDisposeScope();
        _projection = new GoalProjection(Texts.Get(config.GoalPrompts), Texts.Get(config.BaselinePrompts), config.Alpha);
    }

    /// <summary>Loads CLIP from a Hugging Face directory; the source owns it.</summary>
    public static VlmRmRewardSource Load(string modelDirectory, VlmRmConfig config, Device? device = null)
    {
        var clip = ClipEmbedder.Load(modelDirectory, device, config.BatchSize);
        try
        {
            return new VlmRmRewardSource(clip, config, ownsClip: true);
        }
        catch
        {
            clip.Dispose();
            throw;
        }
    }

    /// <summary>Rewards of the frames, computed in batches of <see cref="VlmRmConfig.BatchSize"/>.</summary>
    public float[] Rewards(IReadOnlyList<RgbImage> frames) => LabelFrames(frames).Select(l => (float)l.Reward).ToArray();

    public RewardLabel[] LabelFrames(IReadOnlyList<RgbImage> frames)
    {
        if (frames.Count == 0) return [];
        var labels = new RewardLabel[frames.Count];
        lock (_lock)
        {
            for (int start = 0; start < frames.Count; start += Config.BatchSize)
            {
                int n = Math.Min(Config.BatchSize, frames.Count - start);
                using var scope = NewDisposeScope();
                var x = _clip.EmbedImages(frames.Skip(start).Take(n).ToArray());
                var reward = _projection.Reward(x).ToArray<float>();
                var goal = x.matmul(_projection.Goal).ToArray<float>();
                var baseline = x.matmul(_projection.Baseline).ToArray<float>();
                for (int i = 0; i < n; i++)
                    labels[start + i] = new RewardLabel(reward[i], [(Name, reward[i]), (GoalComponent, goal[i]), (BaselineComponent, baseline[i])]);
                FramesEmbedded += n;
                ImageBatches++;
            }
        }
        return labels;
    }

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        var frame = CurrentFrame?.Invoke()
                    ?? throw new InvalidOperationException("vlm-rm rewards frames, not states: wrap the env in FrameRewardWrapper (which renders each step), or label stored frames with LabelFrames");
        return LabelFrames([frame])[0];
    }

    RewardLabel[] IRewardSource.LabelBatch(IReadOnlyList<RewardTransition> batch) =>
        throw new InvalidOperationException($"vlm-rm cannot label {batch.Count} past steps from their states alone: their frames are needed (LabelFrames, or ReplayRelabeller for a replay buffer)");

    public void Dispose()
    {
        _projection.Dispose();
        if (_ownsClip) _clip.Dispose();
    }
}
