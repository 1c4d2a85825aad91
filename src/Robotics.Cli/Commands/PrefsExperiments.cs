using System.Text.Json;
using Robotics.Agents.Training;
using Robotics.Cli.Experiments;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Transfer;

namespace Robotics.Cli.Commands;

/// <summary>
/// Experiment files whose reward is learned from preferences: `reward.source: pebble` (PEBBLE with a scripted
/// teacher, optionally with PEARL's robust reward model), `reward.source: rl-vlm-f` with sac (PEBBLE with a VLM as the
/// teacher) and `reward.source: transfer` (a reward model trained on preferences carried over from reward.source_task
/// by Gromov–Wasserstein, then SAC on it). Seeds of a PEBBLE experiment that were interrupted start again from the
/// beginning: the preference data is not in SAC's checkpoints (a VLM's answers are cached, so they are not asked again).
/// </summary>
public static class PrefsExperiments
{
    public const string TransferModel = "reward/model.safetensors";

    /// <summary>pebble, transfer, and rl-vlm-f with sac (PEBBLE with the VLM as teacher; with iql or bc it relabels a dataset instead).</summary>
    public static bool Handles(Experiment e) => e.Reward.Source is "pebble" or "transfer" || e.OnlineVlmPreferences;

    /// <summary>The reward model the experiment asks for, over <paramref name="defaults"/>.</summary>
    public static RewardModelConfig ModelConfig(RewardSection r, RewardModelConfig defaults) => defaults with
    {
        Gaussian = r.Robust ?? defaults.Gaussian,
        Aggregation = r.Aggregation is { } a ? PrefsCommand.ParseAggregation(a) : defaults.Aggregation,
        UncertaintyWeight = r.UncertaintyWeight ?? defaults.UncertaintyWeight,
        Hidden = r.RewardHidden ?? defaults.Hidden,
        StateOnly = r.StateOnly ?? defaults.StateOnly,
    };

    public static PebbleConfig PebbleConfig(RewardSection r)
    {
        var d = new PebbleConfig();
        return d with
        {
            MaxFeedback = r.Budget ?? d.MaxFeedback, QueriesPerSession = r.Queries ?? d.QueriesPerSession, QueryEvery = r.QueryEvery ?? d.QueryEvery,
            SeedSteps = r.SeedSteps ?? d.SeedSteps, UnsupervisedSteps = r.UnsupSteps ?? d.UnsupervisedSteps, SegmentLength = r.Segment ?? d.SegmentLength,
            ResetUpdates = r.ResetUpdates ?? d.ResetUpdates,
            Sampling = r.Sampling is { } s ? PrefsCommand.ParseSampling(s) : d.Sampling,
            RewardModel = ModelConfig(r, d.RewardModel),
        };
    }

    /// <summary>
    /// The VLM of an rl-vlm-f experiment with sac, asked as the offline path asks it. Its answers are cached in the run
    /// directory's reward/vlm-answers.jsonl (or the file's cache:), shared by the seeds, so a rerun asks nothing twice.
    /// </summary>
    private static VlmTeacherRequest VlmTeacher(Experiment e, string experimentPath, string runDir)
    {
        var r = e.Reward;
        return new VlmTeacherRequest(r.Goal!, LlmSettings.FromEnvironment(r.Model, r.BaseUrl), r.RequestsPerMinute, r.Concurrency,
                                     RewardSection.Relative(experimentPath, r.Cache) ?? Path.Combine(runDir, "reward", "vlm-answers.jsonl"));
    }

    private static TransferEvalOptions TransferOptions(Experiment e, string runDir)
    {
        var r = e.Reward;
        var d = new TransferEvalOptions { Source = r.SourceTask!, Target = e.Task };
        return d with
        {
            Teacher = r.Teacher ?? d.Teacher, Seed = e.SeedList[0], Segments = r.Segments ?? d.Segments, Pairs = r.Pairs ?? d.Pairs,
            SegmentLength = r.Segment ?? d.SegmentLength, HeldOutPairs = 200, Model = ModelConfig(r, d.Model),
            SaveModel = Path.Combine(runDir, TransferModel), SaveDataset = Path.Combine(runDir, "reward", "queries.safetensors"),
        };
    }

    /// <summary>
    /// Work done once for all seeds, before them: for transfer, the transferred labels and the reward model fit on them
    /// (kept in the experiment's run directory with reward/transfer.json, its accuracy against the target's own reward).
    /// </summary>
    public static void Prepare(Experiment e, string runDir, bool resume)
    {
        if (e.Reward.Source != "transfer") return;
        var options = TransferOptions(e, runDir);
        if (resume && File.Exists(options.SaveModel)) return;
        Directory.CreateDirectory(Path.Combine(runDir, "reward"));
        var r = TransferEval.Run(options, new Progress<string>(line => Console.WriteLine($"transfer: {line}")));
        File.WriteAllText(Path.Combine(runDir, "reward", "transfer.json"), JsonSerializer.Serialize(new
        {
            source = r.Source, target = r.Target, teacher = r.Teacher, seed = r.Seed, segments = r.Segments, pairs = r.Pairs,
            transferred_decided = r.Decided, transfer_accuracy = double.IsFinite(r.LabelAccuracy) ? r.LabelAccuracy : (double?)null,
            heldout_accuracy = r.HeldOut is { } h && double.IsFinite(h.Accuracy) ? h.Accuracy : (double?)null, seconds = r.Seconds,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    public static TrainingSummary RunSeed(Experiment e, string experimentPath, int seed, string seedDir, string runDir)
    {
        var sac = e.Steps is long steps ? e.Sac with { TotalSteps = steps } : e.Sac;
        var run = new SacRunSettings(e.Evaluation.Every, e.Evaluation.Episodes, e.CheckpointEvery, e.Video, e.Evaluation.FinalPolicy == "best");
        if (e.Reward.Source == "pebble" || e.OnlineVlmPreferences)
        {
            var (summary, _, learner) = PrefsTraining.LaunchPebble(new PebbleRequest
            {
                Task = e.Task, Teacher = e.Reward.Teacher ?? "oracle", Seed = seed, Out = seedDir, Run = run, Sac = sac, Pebble = PebbleConfig(e.Reward),
                Vlm = e.OnlineVlmPreferences ? VlmTeacher(e, experimentPath, runDir) : null,
            });
            learner.Dispose();
            return summary;
        }
        var options = TransferOptions(e, runDir);
        return PrefsTraining.LaunchLearnedReward(e.Task, seed, options.SaveModel!, options.Model, seedDir,
            sac with { LearningStarts = (int)Math.Min(sac.LearningStarts, Math.Max(1, sac.TotalSteps / 10)) },
            run).Summary;
    }
}
