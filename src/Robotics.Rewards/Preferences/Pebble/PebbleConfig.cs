using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;

namespace Robotics.Rewards.Preferences.Pebble;

/// <summary>
/// PEBBLE's schedule (Lee, Smith &amp; Abbeel 2021). Defaults are B-Pref's Meta-World scripts
/// (scripts/*/run_PEBBLE.sh: num_unsup_steps 9000, num_interact 5000, max_feedback 10000, reward_batch 50,
/// reward_update 10, feed_type 1) over config/train_PEBBLE.yaml (num_seed_steps 1000, segment 50, topK 5,
/// large_batch 10, ensemble_size 3, reward_lr 3e-4).
/// </summary>
public sealed record PebbleConfig
{
    public int SeedSteps { get; init; } = 1000;             // num_seed_steps: uniform random actions (SAC's learning_starts)
    public int UnsupervisedSteps { get; init; } = 9000;     // num_unsup_steps: SAC on the state-entropy reward
    public int QueryEvery { get; init; } = 5000;            // num_interact: env steps between feedback sessions
    public int MaxFeedback { get; init; } = 10_000;         // max_feedback: the label budget
    public int QueriesPerSession { get; init; } = 50;       // reward_batch: queries per session
    public int SegmentLength { get; init; } = SegmentSampler.DefaultLength;
    public QuerySampling Sampling { get; init; } = QuerySampling.Disagreement; // feed_type 1 (the first session is always uniform)
    public int LargeBatch { get; init; } = QuerySelection.DefaultLargeBatch;
    public int EntropyK { get; init; } = 5;                 // topK
    /// <summary>Ours: every this many steps of pre-training the whole buffer's intrinsic rewards are recomputed (B-Pref recomputes per minibatch).</summary>
    public int EntropyRelabelEvery { get; init; } = 1000;
    /// <summary>B-Pref's reset_update: gradient updates on fresh critics once the first learned reward replaces the exploration reward; 0 keeps the pre-trained critics.</summary>
    public int ResetUpdates { get; init; } = 100;
    public int KeepEpisodes { get; init; } = 100;           // the reward model's max_size (episodes of query material)
    /// <summary>reward_update = 10 epochs per session at most (stop past 97% training accuracy), as the Meta-World scripts.</summary>
    public RewardModelConfig RewardModel { get; init; } = new() { MaxEpochs = 10 };

    /// <summary>The step at which pre-training ends and the first reward is learned.</summary>
    public int PretrainingEnd => SeedSteps + UnsupervisedSteps;

    public void Validate()
    {
        RewardModel.Validate();
        if (SeedSteps < 1 || UnsupervisedSteps < 0) throw new ArgumentException($"pebble: seed steps ({SeedSteps}) must be positive and unsupervised steps ({UnsupervisedSteps}) not negative");
        if (QueryEvery < 1 || QueriesPerSession < 1 || MaxFeedback < 1) throw new ArgumentException($"pebble: query_every ({QueryEvery}), queries per session ({QueriesPerSession}) and max_feedback ({MaxFeedback}) must be positive");
        if (SegmentLength < 1 || PretrainingEnd < SegmentLength) throw new ArgumentException($"pebble: the first queries come at step {PretrainingEnd}, too early for a {SegmentLength}-step segment");
        if (ResetUpdates < 0) throw new ArgumentException($"pebble: reset updates must not be negative, got {ResetUpdates}");
        if (LargeBatch < 1 || EntropyK < 1 || EntropyRelabelEvery < 1 || KeepEpisodes < 1) throw new ArgumentException("pebble: large_batch, k, entropy relabel interval and episodes kept must be positive");
    }
}
