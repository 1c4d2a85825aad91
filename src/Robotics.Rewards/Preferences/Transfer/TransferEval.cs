using System.Diagnostics;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using Robotics.Torch;

namespace Robotics.Rewards.Preferences.Transfer;

/// <summary>What `robo prefs transfer` runs: source and target tasks, how many segments each side, which teacher labels the source.</summary>
public sealed record TransferEvalOptions
{
    public required string Source { get; init; }
    public required string Target { get; init; }
    public string Teacher { get; init; } = "oracle";
    public int Seed { get; init; }
    /// <summary>Segments on each side (the Gromov–Wasserstein problem is segments × segments).</summary>
    public int Segments { get; init; } = 200;
    /// <summary>Target pairs labelled by transport.</summary>
    public int Pairs { get; init; } = 500;
    public int SegmentLength { get; init; } = SegmentSampler.DefaultLength;
    public int Episodes { get; init; } = 30;
    public int EpisodeSteps { get; init; } = 200;
    /// <summary>Also train a reward ensemble on the transferred labels and measure it on held-out target pairs (0: skip).</summary>
    public int HeldOutPairs { get; init; } = 500;
    public RewardModelConfig Model { get; init; } = new() { ValidationFraction = 0.1 };
    public GromovWassersteinConfig Transport { get; init; } = new();
    /// <summary>Write the transferred labels here (.safetensors).</summary>
    public string? SaveDataset { get; init; }
    /// <summary>Write the reward model trained on them here (needs held-out pairs &gt; 0).</summary>
    public string? SaveModel { get; init; }
}

public sealed record TransferEvalResult(
    string Source, string Target, string Teacher, int Seed, int Segments, int Pairs,
    int Decided, double LabelAccuracy, int EqualLabels, double SourceTeacherAgreement, HeldOutResult? HeldOut, double Seconds);

/// <summary>
/// Cross-task transfer measured against the truth: segments of both tasks from the behaviour-policy mix, the source
/// teacher's preferences carried to target pairs by Gromov–Wasserstein, and the transferred labels compared with
/// the target task's own reward (never shown to the transfer); optionally a reward model trained on them alone.
/// </summary>
public static class TransferEval
{
    public static TransferEvalResult Run(TransferEvalOptions o, IProgress<string>? log = null)
    {
        if (o.Segments < 2 || o.Pairs < 1) throw new ArgumentException($"need at least 2 segments ({o.Segments}) and 1 pair ({o.Pairs})");
        var clock = Stopwatch.StartNew();
        torch.manual_seed(o.Seed);
        var rng = new Rng(o.Seed);
        using var sourceEnv = new FrankaEnv(FrankaSuite.CreateTask(o.Source));
        using var targetEnv = new FrankaEnv(FrankaSuite.CreateTask(o.Target));
        var sourceTruth = new TaskRewardSource(sourceEnv.Task);
        var targetTruth = new TaskRewardSource(targetEnv.Task);
        log?.Report($"recording {o.Episodes} episodes of {o.Source} and of {o.Target}");
        var sourceTrajectories = new TrajectoryCollector(sourceEnv).Collect(BehaviourPolicy.DefaultMix, o.Episodes, o.Seed, o.EpisodeSteps, rng.Spawn());
        var targetTrajectories = new TrajectoryCollector(targetEnv).Collect(BehaviourPolicy.DefaultMix, o.Episodes, o.Seed + 1_000, o.EpisodeSteps, rng.Spawn());
        var segmentRng = rng.Spawn();
        var source = Enumerable.Range(0, o.Segments).Select(_ => SegmentSampler.Sample(sourceTrajectories, o.SegmentLength, segmentRng)).ToList();
        var target = Enumerable.Range(0, o.Segments).Select(_ => SegmentSampler.Sample(targetTrajectories, o.SegmentLength, segmentRng)).ToList();
        var pairRng = rng.Spawn();
        var targetPairs = Enumerable.Range(0, o.Pairs).Select(_ => (pairRng.NextInt(o.Segments), pairRng.NextInt(o.Segments))).Where(p => p.Item1 != p.Item2).ToList();

        log?.Report($"Gromov–Wasserstein between {o.Segments} {o.Source} and {o.Segments} {o.Target} segments");
        var teacher = new ScriptedTeacher(sourceTruth, TeacherConfig.Preset(o.Teacher), rng.Spawn());
        var (dataset, _, _) = CrossTaskTransfer.Transfer(source, teacher, target, targetPairs, o.Transport, o.Target);
        if (o.SaveDataset is not null) dataset.Save(o.SaveDataset);

        int decided = 0, right = 0;
        foreach (var pair in dataset.Pairs)
        {
            double a = GroundTruth.Return(targetTruth, pair.A), b = GroundTruth.Return(targetTruth, pair.B);
            if (a == b || pair.Label is not (Preference.First or Preference.Second)) continue;
            decided++;
            if (b > a == (pair.Label == Preference.Second)) right++;
        }

        HeldOutResult? heldOut = null;
        if ((o.HeldOutPairs > 0 || o.SaveModel is not null) && dataset.Trainable.Any())
        {
            log?.Report($"training a reward model on the {dataset.Count} transferred labels");
            using var model = new RewardEnsemble(targetEnv.ActionSpace.Dimension, o.Model, o.Seed);
            model.Update(dataset);
            if (o.SaveModel is not null) model.Save(o.SaveModel);
            if (o.HeldOutPairs > 0)
            {
                var heldOutTrajectories = new TrajectoryCollector(targetEnv).Collect(BehaviourPolicy.DefaultMix, Math.Max(5, o.Episodes / 2), o.Seed + 500_000, o.EpisodeSteps, rng.Spawn());
                heldOut = HeldOutEvaluation.Accuracy(model, targetTruth, SegmentSampler.SamplePairs(heldOutTrajectories, o.HeldOutPairs, o.SegmentLength, rng.Spawn()));
            }
        }
        return new TransferEvalResult(o.Source, o.Target, o.Teacher, o.Seed, o.Segments, dataset.Count, decided,
            decided == 0 ? double.NaN : right / (double)decided, dataset.CountOf(Preference.Equal), SourceAgreement(sourceTruth, source, teacher), heldOut,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>How often the source teacher's answers match the source reward over the first few segment pairs (1 for the oracle).</summary>
    private static double SourceAgreement(IRewardSource truth, IReadOnlyList<Segment> segments, ScriptedTeacher teacher)
    {
        var pairs = Enumerable.Range(0, Math.Min(100, segments.Count - 1)).Select(i => (segments[i], segments[i + 1])).ToList();
        var labels = teacher.Label(pairs);
        int decided = 0, right = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            double a = GroundTruth.Return(truth, pairs[i].Item1), b = GroundTruth.Return(truth, pairs[i].Item2);
            if (a == b || labels[i] is not (Preference.First or Preference.Second)) continue;
            decided++;
            if (b > a == (labels[i] == Preference.Second)) right++;
        }
        return decided == 0 ? double.NaN : right / (double)decided;
    }
}
