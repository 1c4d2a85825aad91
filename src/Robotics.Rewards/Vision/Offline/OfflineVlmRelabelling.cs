using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.Rewards.Vision.RlVlmF;

namespace Robotics.Rewards.Vision.Offline;

/// <summary>Settings of the offline path; the defaults label 500 random pairs, as a modest VLM budget.</summary>
public sealed record OfflineVlmConfig
{
    /// <summary>Pairs of frames to ask the VLM about.</summary>
    public int Pairs { get; init; } = 500;
    /// <summary>Seeds the pair sampling and the reward model.</summary>
    public int Seed { get; init; }
    /// <summary>The seed `robo collect --seed` recorded the first episode with (episode k used FirstSeed + k).</summary>
    public int FirstSeed { get; init; }
    public string? Camera { get; init; }
    public FrankaEnvOptions? EnvOptions { get; init; }
    public BradleyTerryConfig Reward { get; init; } = new();

    public void Validate()
    {
        if (Pairs <= 0) throw new ArgumentException($"offline vlm: pairs must be positive, got {Pairs}");
    }
}

/// <summary>What relabelling did: the new dataset, how the VLM answered, and how well the learned reward fits.</summary>
public sealed record OfflineVlmResult(TransitionDataset Relabelled, PreferenceStats Stats, IReadOnlyList<PreferenceLabel> Labels,
                                      double LabelAccuracy, double CorrelationWithOriginal);

/// <summary>
/// The offline path of "Real-World Offline Reinforcement Learning from Vision Language Model Feedback" (Venkataraman
/// et al. 2024) with RL-VLM-F's labeller: sample random pairs of transitions from a dataset, render the frame after
/// each (<see cref="EpisodeReplay"/>), ask the VLM which frame better achieves the goal, fit a Bradley–Terry reward to
/// the kept labels, and replace every transition's reward with the learned r(next state). The dataset is not changed;
/// the relabelled copy trains an offline agent (IQL) as any dataset would.
/// </summary>
public static class OfflineVlmRelabelling
{
    public static async Task<OfflineVlmResult> RunAsync(TransitionDataset data, string task, VlmPreferenceLabeller labeller, OfflineVlmConfig config,
                                                        Action<string>? log = null, CancellationToken cancellation = default)
    {
        config.Validate();
        if (data.Count < 2) throw new ArgumentException("offline vlm: a dataset of fewer than two transitions has no pairs");
        var pairs = SamplePairs(data.Count, config.Pairs, new Rng(config.Seed));
        log?.Invoke($"rendering {pairs.Count * 2} frames by replaying the dataset's episodes");
        var frames = new EpisodeReplay(task, config.FirstSeed, config.EnvOptions, config.Camera)
            .RenderAfter(data, pairs.SelectMany(p => new[] { p.First, p.Second }));
        log?.Invoke($"asking {labeller.VisionModel.Describe} about {pairs.Count} pairs");
        var (labels, stats, _) = await labeller.LabelAsync(pairs, row => frames[row], cancellation).ConfigureAwait(false);
        log?.Invoke($"labels: {stats.Preferred} kept, {stats.Unsure} unsure, {stats.Malformed} malformed, {stats.Failed} failed ({stats.Cached} from the cache)");
        var (model, accuracy) = BradleyTerryReward.Fit(data, labels, config.Seed, config.Reward);
        using (model)
        {
            var rewards = model.Rewards(data);
            var relabelled = new TransitionDataset(data.ObservationSize, data.ActionSize, data.Observations, data.Actions, rewards,
                data.Terminals, data.Timeouts, data.NextObservations);
            double correlation = Pearson(rewards, data.Rewards);
            log?.Invoke($"reward model: {accuracy:P1} of the labels ordered right; correlation with the dataset's own rewards {correlation:F3}");
            return new OfflineVlmResult(relabelled, stats, labels, accuracy, correlation);
        }
    }

    /// <summary>Uniform random pairs of distinct rows.</summary>
    public static IReadOnlyList<(int First, int Second)> SamplePairs(int rows, int count, Rng rng)
    {
        var pairs = new List<(int, int)>(count);
        while (pairs.Count < count)
        {
            int a = rng.NextInt(rows), b = rng.NextInt(rows);
            if (a != b) pairs.Add((a, b));
        }
        return pairs;
    }

    public static double Pearson(IReadOnlyList<float> x, IReadOnlyList<float> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
    }
}
