using System.Diagnostics;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using Robotics.Torch;

namespace Robotics.Rewards.Preferences.Collection;

/// <summary>What `robo prefs eval` runs: the task, the teacher, how many queries and how much material to cut them from.</summary>
public sealed record PreferenceEvalOptions
{
    public required string Task { get; init; }
    public int Pairs { get; init; } = 500;
    public string Teacher { get; init; } = "oracle";
    public int Seed { get; init; }
    public int SegmentLength { get; init; } = SegmentSampler.DefaultLength;
    /// <summary>Training episodes, spread over the behaviour policies (episode i: policy i mod 5).</summary>
    public int Episodes { get; init; } = 30;
    /// <summary>Steps per recorded episode (the arm has settled, solved or failed, well before 200 on every task's expert).</summary>
    public int EpisodeSteps { get; init; } = 200;
    /// <summary>Held-out pairs, cut from episodes of their own (other seeds) and judged by the true reward.</summary>
    public int HeldOutPairs { get; init; } = 500;
    public int HeldOutEpisodes { get; init; } = 15;
    public RewardModelConfig Model { get; init; } = new();
    public string? SaveDataset { get; init; }
    public string? SaveModel { get; init; }
}

public sealed record PreferenceEvalResult(
    string Task, string Teacher, int Seed, int Pairs, int SegmentLength,
    int First, int Second, int Equal, int Skip,
    double TeacherAgreement, RewardUpdateResult Training, HeldOutResult HeldOut, double Seconds);

/// <summary>
/// The offline check of the preference pipeline: record trajectories with a mix of behaviour policies, cut query
/// pairs, have a scripted teacher (driven by the task's own reward) answer them, fit the Bradley–Terry ensemble, and
/// measure on held-out pairs from other episodes how often it ranks segments as the true reward does.
/// </summary>
public static class PreferenceEval
{
    /// <summary>Held-out episodes are reset with seeds from here on, far from the training episodes'.</summary>
    public const int HeldOutSeedOffset = 500_000;

    public static PreferenceEvalResult Run(PreferenceEvalOptions o, IProgress<string>? log = null)
    {
        if (o.Pairs < 1 || o.HeldOutPairs < 1) throw new ArgumentException($"--pairs ({o.Pairs}) and held-out pairs ({o.HeldOutPairs}) must be positive");
        if (o.Episodes < 1 || o.HeldOutEpisodes < 1) throw new ArgumentException($"episodes ({o.Episodes}) and held-out episodes ({o.HeldOutEpisodes}) must be positive");
        if (o.EpisodeSteps < o.SegmentLength) throw new ArgumentException($"episodes of {o.EpisodeSteps} steps cannot hold {o.SegmentLength}-step segments");
        var teacherConfig = TeacherConfig.Preset(o.Teacher);
        var clock = Stopwatch.StartNew();
        torch.manual_seed(o.Seed);
        var rng = new Rng(o.Seed);

        using var env = new FrankaEnv(FrankaSuite.CreateTask(o.Task));
        var truth = new TaskRewardSource(env.Task);
        var collector = new TrajectoryCollector(env);
        log?.Report($"recording {o.Episodes} + {o.HeldOutEpisodes} episodes of {o.EpisodeSteps} steps");
        var train = collector.Collect(BehaviourPolicy.DefaultMix, o.Episodes, o.Seed, o.EpisodeSteps, rng.Spawn());
        var heldOutTrajectories = collector.Collect(BehaviourPolicy.DefaultMix, o.HeldOutEpisodes, o.Seed + HeldOutSeedOffset, o.EpisodeSteps, rng.Spawn());

        var pairs = SegmentSampler.SamplePairs(train, o.Pairs, o.SegmentLength, rng.Spawn());
        var teacher = new ScriptedTeacher(truth, teacherConfig, rng.Spawn());
        log?.Report($"{o.Teacher} teacher answering {o.Pairs} queries");
        var labels = teacher.Label(pairs);
        var dataset = new PreferenceDataset(o.SegmentLength, env.ActionSpace.Dimension, o.Task);
        dataset.AddRange(pairs, labels);
        if (o.SaveDataset is not null) dataset.Save(o.SaveDataset);

        using var model = new RewardEnsemble(env.ActionSpace.Dimension, o.Model, o.Seed);
        log?.Report($"training {o.Model.EnsembleSize} reward models on {dataset.Trainable.Count()} answered queries");
        var training = model.Update(dataset);
        if (o.SaveModel is not null) model.Save(o.SaveModel);

        var heldOutPairs = SegmentSampler.SamplePairs(heldOutTrajectories, o.HeldOutPairs, o.SegmentLength, rng.Spawn());
        var heldOut = HeldOutEvaluation.Accuracy(model, truth, heldOutPairs);
        return new PreferenceEvalResult(o.Task, o.Teacher, o.Seed, o.Pairs, o.SegmentLength,
            dataset.CountOf(Preference.First), dataset.CountOf(Preference.Second), dataset.CountOf(Preference.Equal), dataset.CountOf(Preference.Skip),
            TeacherAgreement(truth, dataset), training, heldOut, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The fraction of decided answers (first or second) that name the segment with the higher true return.</summary>
    public static double TeacherAgreement(IRewardSource truth, PreferenceDataset dataset)
    {
        int decided = 0, right = 0;
        foreach (var p in dataset.Pairs)
        {
            if (p.Label is not (Preference.First or Preference.Second)) continue;
            decided++;
            if (GroundTruth.Return(truth, p.B) > GroundTruth.Return(truth, p.A) == (p.Label == Preference.Second)) right++;
        }
        return decided == 0 ? double.NaN : right / (double)decided;
    }
}
