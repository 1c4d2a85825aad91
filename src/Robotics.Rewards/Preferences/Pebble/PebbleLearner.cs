using Robotics.Agents.Buffers;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Pebble;

/// <summary>
/// PEBBLE's reward side, driven by SAC's loop through <c>TrainingContext.AfterStep</c> (B-Pref train_PEBBLE.py):
/// <list type="number">
/// <item>steps 1 … seed + unsupervised: each new transition's reward is the state-entropy intrinsic reward (the
///   whole buffer's is recomputed every <see cref="PebbleConfig.EntropyRelabelEvery"/> steps), so SAC pre-trains to explore;</item>
/// <item>at the end of pre-training: the first feedback session (uniform queries), then the whole buffer is relabelled
///   with the learned reward, which from then on also labels each new step (the env is wrapped with it);</item>
/// <item>every <see cref="PebbleConfig.QueryEvery"/> steps after that, while the budget lasts: a session with the
///   configured query selection, a reward update, and a relabelling of the buffer.</item>
/// </list>
/// Queries are cut from the last <see cref="PebbleConfig.KeepEpisodes"/> episodes of the training env, which
/// <see cref="WrapTrainingEnv"/> records. At the end of pre-training <see cref="CriticReset"/> asks the loop for fresh
/// critics (B-Pref's reset_critic): their values were of the exploration reward.
/// </summary>
public sealed class PebbleLearner : IDisposable
{
    private readonly IPreferenceTeacher _teacher;
    private readonly StateEntropy _entropy;
    private readonly Rng _rng;
    private readonly Action<long, IReadOnlyDictionary<string, double>>? _log;
    private readonly float[] _features = new float[RewardFeatures.StateSize];
    private TrajectoryRecorder? _recorder;
    private double _intrinsicSum;
    private int _intrinsicCount;

    public PebbleLearner(PebbleConfig config, int actionSize, IPreferenceTeacher teacher, long seed,
                         Action<long, IReadOnlyDictionary<string, double>>? log = null, string? task = null)
    {
        config.Validate();
        Config = config;
        _teacher = teacher;
        _rng = new Rng(seed);
        _log = log;
        Model = new RewardEnsemble(actionSize, config.RewardModel, seed);
        Dataset = new PreferenceDataset(config.SegmentLength, actionSize, task);
        _entropy = new StateEntropy(RewardFeatures.StateSize, config.EntropyK, capacity: config.PretrainingEnd + 1);
    }

    public PebbleConfig Config { get; }
    public RewardEnsemble Model { get; }
    public PreferenceDataset Dataset { get; }
    /// <summary>Queries asked so far (B-Pref's total_feedback; skipped ones count).</summary>
    public int Feedback { get; private set; }
    public int Sessions { get; private set; }
    public RewardUpdateResult? LastUpdate { get; private set; }
    public TrajectoryRecorder? Recorder => _recorder;

    /// <summary>
    /// The training env, recorded (queries are cut from its episodes) and rewarded by the learned model. Only the
    /// training env: evaluation envs keep the task's reward, so evaluation reports the true return and success.
    /// </summary>
    public IEnv WrapTrainingEnv(IEnv env)
    {
        if (_recorder is not null) throw new InvalidOperationException("the learner already records a training env; it learns from one");
        _recorder = new TrajectoryRecorder(env, keep: Config.KeepEpisodes);
        return new RewardSourceWrapper(_recorder, Model);
    }

    /// <summary>The hook SAC calls after storing each transition; <paramref name="step"/> counts the steps done.</summary>
    public void AfterStep(long step, ReplayBuffer buffer)
    {
        if (step <= Config.PretrainingEnd)
        {
            IntrinsicReward(step, buffer);
            if (step == Config.PretrainingEnd)
            {
                LearnReward(step, QuerySampling.Uniform);
                Relabel(buffer);
            }
            return;
        }
        if (Feedback < Config.MaxFeedback && (step - Config.PretrainingEnd) % Config.QueryEvery == 0)
        {
            LearnReward(step, Config.Sampling);
            Relabel(buffer);
        }
    }

    /// <summary>For <c>TrainingContext.CriticReset</c>: B-Pref's reset_update count at the step the first learned reward took over.</summary>
    public int CriticReset(long step) => step == Config.PretrainingEnd && Model.Updates > 0 ? Config.ResetUpdates : 0;

    private void IntrinsicReward(long step, ReplayBuffer buffer)
    {
        if (buffer.Count != _entropy.Count + 1)
            throw new InvalidOperationException($"PEBBLE pre-training needs every transition in the replay buffer in order (buffer holds {buffer.Count} of capacity {buffer.Capacity}, {_entropy.Count} states seen); raise buffer_size above {Config.PretrainingEnd}");
        int newest = buffer.Count - 1;
        RewardFeatures.FromObservation(buffer.NextObservation(newest), _features);
        float reward = _entropy.Add(_features);
        buffer.Rewards[newest] = reward;
        (_intrinsicSum, _intrinsicCount) = (_intrinsicSum + reward, _intrinsicCount + 1);
        bool relabel = step % Config.EntropyRelabelEvery == 0;
        if (relabel) _entropy.RewardAll().CopyTo(buffer.Rewards);
        if (!relabel && step != Config.PretrainingEnd) return;
        // The mean reward new states got since the last report: falls as the visited region fills in.
        _log?.Invoke(step, new Dictionary<string, double>
        {
            ["pebble/intrinsic_reward"] = _intrinsicSum / _intrinsicCount, ["pebble/entropy_scale"] = _entropy.Scale,
        });
        (_intrinsicSum, _intrinsicCount) = (0, 0);
    }

    /// <summary>One feedback session: select queries, have the teacher answer, update the reward model.</summary>
    public void LearnReward(long step, QuerySampling sampling)
    {
        if (_recorder is null) throw new InvalidOperationException("no training env has been wrapped (WrapTrainingEnv): there are no trajectories to query");
        var material = _recorder.Trajectories.Where(t => t.Length >= Config.SegmentLength).ToList();
        if (material.Count == 0) return;
        int ask = Math.Min(Config.QueriesPerSession, Config.MaxFeedback - Feedback);
        if (_teacher is ScriptedTeacher scripted) scripted.Margin = Margin(scripted.GroundTruthSource);
        var pairs = QuerySelection.Select(Model.Updates == 0 ? QuerySampling.Uniform : sampling, material, ask, Config.SegmentLength, Model, _rng, Config.LargeBatch);
        var labels = _teacher.Label(pairs);
        Dataset.AddRange(pairs, labels);
        Feedback += ask;
        Sessions++;
        var metrics = new Dictionary<string, double>
        {
            ["pebble/feedback"] = Feedback, ["pebble/sessions"] = Sessions,
            ["pebble/skipped"] = Dataset.CountOf(Preference.Skip), ["pebble/equal"] = Dataset.CountOf(Preference.Equal),
        };
        if (Dataset.Trainable.Any())
        {
            LastUpdate = Model.Update(Dataset);
            foreach (var (key, value) in LastUpdate.Metrics()) metrics[key] = value;
        }
        _log?.Invoke(step, metrics);
    }

    /// <summary>B-Pref's teacher margin: the mean true return of the last 10 episodes, scaled to a segment's length.</summary>
    private double? Margin(IRewardSource truth)
    {
        var recent = _recorder!.RecentFinished(10);
        if (recent.Count == 0) return null;
        return recent.Average(t => GroundTruth.Return(truth, t.Cut(0, t.Length)) * Config.SegmentLength / t.Length);
    }

    /// <summary>Every stored transition gets the current learned reward.</summary>
    public void Relabel(ReplayBuffer buffer)
    {
        if (Model.Updates == 0) return;
        int n = buffer.Count, obsSize = buffer.ObservationSize, actSize = buffer.ActionSize;
        var observations = new float[(long)n * obsSize];
        var actions = new float[(long)n * actSize];
        for (int row = 0; row < n; row++)
        {
            buffer.NextObservation(row).CopyTo(observations.AsSpan(row * obsSize, obsSize));
            buffer.Action(row).CopyTo(actions.AsSpan(row * actSize, actSize));
        }
        if (obsSize != FrankaEnv.ObservationSize) throw new InvalidOperationException($"PEBBLE relabels Franka observations ({FrankaEnv.ObservationSize} numbers); the buffer holds {obsSize}");
        Model.Relabel(observations, actions, buffer.Rewards);
    }

    public void Dispose() => Model.Dispose();
}
