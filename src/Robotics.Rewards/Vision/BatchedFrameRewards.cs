using Robotics.Agents.Buffers;
using Robotics.Core.Envs;

namespace Robotics.Rewards.Vision;

/// <summary>
/// A frame reward (VLM-RM's CLIP) for off-policy training, computed in batches and written into the replay buffer: the
/// training env is wrapped in <see cref="FrameCaptureWrapper"/>, which renders each step's frame and gives the agent a
/// placeholder reward; <see cref="AfterStep"/> (SAC calls it through <c>TrainingContext.AfterStep</c>, right after
/// storing the step) queues the frame with the row just stored in a <see cref="ReplayRelabeller"/>, which labels its
/// queue in one model call when
/// <list type="bullet">
/// <item><see cref="BatchSize"/> frames are waiting;</item>
/// <item>updates are due after this step (step % <see cref="TrainFrequency"/> == 0), so no sampled row is unlabelled;</item>
/// <item>the episode ended, so its return and reward components can be logged, and checkpoints (written at episode
///   ends, and through <see cref="BeforeCheckpoint"/>) hold real rewards only.</item>
/// </list>
/// With train_freq equal to the batch size (what experiment files default to) the first two coincide and every model
/// call is a full batch but the last of each episode. The episode's mean of each reward component is logged under
/// "reward/&lt;name&gt;", as SAC logs those a per-step reward puts in info. Only the first env made through <see cref="Wrap"/>
/// (the training env) is captured; later ones (evaluation copies) keep the task's reward, so evaluation reports the
/// task's own return and success without a model call per step.
/// </summary>
public sealed class BatchedFrameRewards
{
    private readonly ReplayRelabeller _relabeller;
    private readonly string? _camera;
    private readonly Action<long, IReadOnlyDictionary<string, double>>? _log;
    private readonly Dictionary<string, double> _componentSums = new();
    private int _labelledThisEpisode;
    private FrameCaptureWrapper? _capture;

    public BatchedFrameRewards(IFrameRewardSource source, int batchSize, int trainFrequency, string? camera = null,
                               Action<long, IReadOnlyDictionary<string, double>>? log = null)
    {
        if (trainFrequency < 1) throw new ArgumentOutOfRangeException(nameof(trainFrequency), trainFrequency, "must be at least 1");
        _relabeller = new ReplayRelabeller(source, batchSize) { Labelled = Accumulate };
        (TrainFrequency, _camera, _log) = (trainFrequency, camera, log);
    }

    public IFrameRewardSource Source => _relabeller.Source;
    public int BatchSize => _relabeller.BatchSize;
    public int TrainFrequency { get; }
    /// <summary>Rows labelled so far.</summary>
    public long Labelled => _relabeller.Relabelled;

    /// <summary>The env factory's wrapper: captures the first env it sees (the training env), leaves the rest as they are.</summary>
    public IEnv Wrap(IEnv env)
    {
        if (_capture is not null) return env;
        return _capture = new FrameCaptureWrapper(env, _camera);
    }

    /// <summary>The hook SAC calls once it stored step <paramref name="step"/> (1-based) in the buffer's newest row.</summary>
    public void AfterStep(long step, ReplayBuffer buffer)
    {
        if (_capture is null) throw new InvalidOperationException("no training env was made through Wrap: there are no frames to label");
        var (frame, episodeEnded) = _capture.Take();
        int row = (buffer.Position - 1 + buffer.Capacity) % buffer.Capacity;
        _relabeller.Add(buffer, row, frame); // labels the queue itself once BatchSize frames wait
        if (step % TrainFrequency == 0 || episodeEnded) _relabeller.Flush(buffer);
        if (episodeEnded) LogEpisode(step);
    }

    /// <summary>Labels what is queued, so the checkpoint about to be written holds no placeholder.</summary>
    public void BeforeCheckpoint(ReplayBuffer buffer) => _relabeller.Flush(buffer);

    private void Accumulate(IReadOnlyList<(int Row, Sources.RewardLabel Label)> labelled)
    {
        foreach (var (_, label) in labelled)
            foreach (var (name, value) in label.Components)
                _componentSums[name] = _componentSums.GetValueOrDefault(name) + value;
        _labelledThisEpisode += labelled.Count;
    }

    private void LogEpisode(long step)
    {
        if (_log is not null && _labelledThisEpisode > 0)
            _log(step, _componentSums.ToDictionary(kv => Sources.RewardSourceWrapper.ComponentPrefix + kv.Key, kv => kv.Value / _labelledThisEpisode));
        _componentSums.Clear();
        _labelledThisEpisode = 0;
    }
}
