using System.CommandLine;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Data;
using Robotics.Agents.Sac;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Preferences.Transfer;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo prefs …`: rewards learned from preferences. `prefs eval --task T --pairs N --teacher oracle --seed S`
/// records trajectories with a mix of behaviour policies, has a scripted B-Pref teacher answer N segment-pair
/// queries, trains the Bradley–Terry ensemble and reports, as JSON on the last line, how often it ranks held-out
/// pairs as the true reward does (heldout_accuracy).
/// </summary>
public static class PrefsCommand
{
    public static Command Create() => new("prefs", "rewards learned from preferences: evaluate reward models, train with PEBBLE")
    {
        EvalCommand(),
        PebbleCommand(),
        TransferCommand(),
        LabelCommand(),
    };

    /// <summary>
    /// `prefs label --task T --pairs N --out queries.safetensors`: records episodes with the behaviour-policy mix, then
    /// serves a page on 127.0.0.1 where a person answers N queries between two clips; each answer is saved as given.
    /// </summary>
    private static Command LabelCommand()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var pairs = new Option<int>("--pairs") { Description = "queries to answer", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "seed of the recorded episodes and the sampled pairs", DefaultValueFactory = _ => 0 };
        var segment = new Option<int>("--segment") { Description = "steps per segment", DefaultValueFactory = _ => SegmentSampler.DefaultLength };
        var episodes = new Option<int>("--episodes") { Description = "recorded episodes (spread over the behaviour policies)", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--episode-steps") { Description = "steps per recorded episode", DefaultValueFactory = _ => 200 };
        var port = new Option<int>("--port") { Description = "port on 127.0.0.1 (0: a free one)", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "where the answered queries are saved (.safetensors)", Required = true };
        var command = new Command("label", "answer preference queries yourself on a local web page; the answers become a preference dataset")
        {
            task, pairs, seed, segment, episodes, steps, port, output,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(task)!;
            int count = parse.GetValue(pairs), length = parse.GetValue(segment);
            if (count < 1) throw new ArgumentException($"--pairs must be positive, got {count}");
            var rng = new Robotics.Core.Seeding.Rng(parse.GetValue(seed));
            using var env = new Robotics.Envs.Franka.FrankaEnv(Robotics.Envs.FrankaSuite.CreateTask(name));
            var trajectories = new TrajectoryCollector(env).Collect(BehaviourPolicy.DefaultMix, parse.GetValue(episodes), parse.GetValue(seed), parse.GetValue(steps), rng.Spawn());
            var queries = SegmentSampler.SamplePairs(trajectories, count, length, rng.Spawn());
            var dataset = new PreferenceDataset(length, env.ActionSpace.Dimension, name);
            var clips = new Robotics.Rewards.Preferences.Human.ReplayClips(env, trajectories);
            var path = parse.GetValue(output)!.FullName;
            using (var server = new Robotics.Rewards.Preferences.Human.LabellingServer(queries, clips.Render, dataset, parse.GetValue(port)))
            {
                Console.Error.WriteLine($"prefs label: open {server.Address} and answer {count} queries (Ctrl-C stops; answers so far are saved)");
                using var stop = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                try { server.Completion.Wait(stop.Token); }
                catch (OperationCanceledException) { Console.Error.WriteLine("prefs label: stopped"); }
            }
            dataset.Save(path);
            JsonOutput.PrintLine(new
            {
                task = name, pairs = count, answered = dataset.Count, out_path = path,
                labels = new { first = dataset.CountOf(Preference.First), second = dataset.CountOf(Preference.Second),
                               equal = dataset.CountOf(Preference.Equal), skip = dataset.CountOf(Preference.Skip) },
            });
            return 0;
        });
        return command;
    }

    /// <summary>
    /// `prefs transfer --source S --target T`: PEARL's cross-task preference alignment measured against the target's
    /// own reward: transferred-label accuracy, and the held-out accuracy of a reward model trained on those labels alone.
    /// </summary>
    private static Command TransferCommand()
    {
        var defaults = new TransferEvalOptions { Source = "", Target = "" };
        var source = new Option<string>("--source") { Description = "task whose teacher labels segments", Required = true };
        var target = new Option<string>("--target") { Description = "task whose segment pairs get transferred labels", Required = true };
        var teacher = new Option<string>("--teacher") { Description = $"scripted teacher of the source: {string.Join(", ", TeacherConfig.PresetNames)}", DefaultValueFactory = _ => "oracle" };
        var seed = new Option<int>("--seed") { Description = "seed of episodes, sampling and networks", DefaultValueFactory = _ => 0 };
        var segments = new Option<int>("--segments") { Description = "segments on each side", DefaultValueFactory = _ => defaults.Segments };
        var pairs = new Option<int>("--pairs") { Description = "target pairs labelled by transport", DefaultValueFactory = _ => defaults.Pairs };
        var segment = new Option<int>("--segment") { Description = "steps per segment", DefaultValueFactory = _ => defaults.SegmentLength };
        var episodes = new Option<int>("--episodes") { Description = "recorded episodes per task", DefaultValueFactory = _ => defaults.Episodes };
        var steps = new Option<int>("--episode-steps") { Description = "steps per recorded episode", DefaultValueFactory = _ => defaults.EpisodeSteps };
        var heldOut = new Option<int>("--heldout") { Description = "held-out target pairs for a reward model trained on the transferred labels (0: no model)", DefaultValueFactory = _ => defaults.HeldOutPairs };
        var hidden = new Option<int>("--hidden") { Description = "reward-model hidden units", DefaultValueFactory = _ => defaults.Model.Hidden };
        var epsilon = new Option<double>("--epsilon") { Description = "entropic regularisation of Gromov–Wasserstein (relative to the largest distance)", DefaultValueFactory = _ => defaults.Transport.Epsilon };
        var saveDataset = new Option<string?>("--save-dataset") { Description = "write the transferred labels here (.safetensors)" };
        var saveModel = new Option<string?>("--save-model") { Description = "write the reward model trained on them here (.safetensors)" };
        var command = new Command("transfer", "label a target task's preferences from a source task's by Gromov–Wasserstein transport (PEARL CPA) and measure them")
        {
            source, target, teacher, seed, segments, pairs, segment, episodes, steps, heldOut, hidden, epsilon, saveDataset, saveModel,
        };
        command.SetAction(parse =>
        {
            var options = defaults with
            {
                Source = parse.GetValue(source)!, Target = parse.GetValue(target)!, Teacher = parse.GetValue(teacher)!, Seed = parse.GetValue(seed),
                Segments = parse.GetValue(segments), Pairs = parse.GetValue(pairs), SegmentLength = parse.GetValue(segment),
                Episodes = parse.GetValue(episodes), EpisodeSteps = parse.GetValue(steps), HeldOutPairs = parse.GetValue(heldOut),
                Model = defaults.Model with { Hidden = parse.GetValue(hidden) },
                Transport = defaults.Transport with { Epsilon = parse.GetValue(epsilon), EpsilonStart = Math.Max(defaults.Transport.EpsilonStart, parse.GetValue(epsilon)) },
                SaveDataset = parse.GetValue(saveDataset), SaveModel = parse.GetValue(saveModel),
            };
            var r = TransferEval.Run(options, new Progress<string>(line => Console.Error.WriteLine($"prefs transfer: {line}")));
            JsonOutput.PrintLine(new
            {
                source = r.Source, target = r.Target, teacher = r.Teacher, seed = r.Seed, segments = r.Segments, pairs = r.Pairs,
                transferred_decided = r.Decided, transferred_equal = r.EqualLabels, transfer_accuracy = Round(r.LabelAccuracy),
                source_teacher_agreement = Round(r.SourceTeacherAgreement),
                heldout_pairs = r.HeldOut?.Pairs, heldout_accuracy = r.HeldOut is { } h ? Round(h.Accuracy) : null,
                seconds = Math.Round(r.Seconds, 1),
            });
            return 0;
        });
        return command;
    }

    /// <summary>
    /// `prefs pebble --task T --teacher oracle --steps N --budget B`: SAC with PEBBLE's unsupervised pre-training,
    /// scheduled queries to a scripted teacher and buffer relabelling; the last line is the run summary as JSON.
    /// </summary>
    private static Command PebbleCommand()
    {
        var pebbleDefaults = new PebbleConfig();
        var sacDefaults = new SacConfig();
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var teacher = new Option<string>("--teacher") { Description = $"scripted teacher: {string.Join(", ", TeacherConfig.PresetNames)}", DefaultValueFactory = _ => "oracle" };
        var seed = new Option<int>("--seed") { Description = "seed of networks, env and sampling", DefaultValueFactory = _ => 0 };
        var steps = new Option<long>("--steps") { Description = "env steps", DefaultValueFactory = _ => 100_000 };
        var budget = new Option<int>("--budget") { Description = "queries the teacher answers at most (max_feedback)", DefaultValueFactory = _ => pebbleDefaults.MaxFeedback };
        var queries = new Option<int>("--queries") { Description = "queries per feedback session (reward_batch)", DefaultValueFactory = _ => pebbleDefaults.QueriesPerSession };
        var every = new Option<int>("--query-every") { Description = "env steps between feedback sessions (num_interact)", DefaultValueFactory = _ => pebbleDefaults.QueryEvery };
        var seedSteps = new Option<int>("--seed-steps") { Description = "uniform random steps before SAC learns (num_seed_steps)", DefaultValueFactory = _ => pebbleDefaults.SeedSteps };
        var unsup = new Option<int>("--unsup-steps") { Description = "steps of state-entropy pre-training (num_unsup_steps)", DefaultValueFactory = _ => pebbleDefaults.UnsupervisedSteps };
        var sampling = new Option<string>("--sampling") { Description = "query selection: uniform, disagreement, entropy", DefaultValueFactory = _ => "disagreement" };
        var segment = new Option<int>("--segment") { Description = "steps per segment", DefaultValueFactory = _ => pebbleDefaults.SegmentLength };
        var rewardEpochs = new Option<int>("--reward-epochs") { Description = "reward-model epochs per session at most (reward_update)", DefaultValueFactory = _ => pebbleDefaults.RewardModel.MaxEpochs };
        var rewardHidden = new Option<int>("--reward-hidden") { Description = "reward-model hidden units", DefaultValueFactory = _ => pebbleDefaults.RewardModel.Hidden };
        var hidden = new Option<int>("--hidden") { Description = "SAC hidden units", DefaultValueFactory = _ => sacDefaults.Hidden };
        var batch = new Option<int>("--batch") { Description = "SAC minibatch", DefaultValueFactory = _ => sacDefaults.BatchSize };
        var evalEvery = new Option<long>("--eval-every") { Description = "evaluate every N steps (0 = only at the end)", DefaultValueFactory = _ => 10_000 };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "episodes per evaluation", DefaultValueFactory = _ => 10 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/{task}__pebble__{seed}__{time})" };
        var noVideo = new Option<bool>("--no-video") { Description = "skip the final evaluation video" };
        var command = new Command("pebble", "SAC from a scripted teacher's preferences with PEBBLE (unsupervised pre-training, scheduled queries, relabelling)")
        {
            task, teacher, seed, steps, budget, queries, every, seedSteps, unsup, sampling, segment, rewardEpochs, rewardHidden, hidden, batch,
            evalEvery, evalEpisodes, output, noVideo,
        };
        command.SetAction(parse =>
        {
            var request = new PebbleRequest
            {
                Task = parse.GetValue(task)!, Teacher = parse.GetValue(teacher)!, Seed = parse.GetValue(seed), Out = parse.GetValue(output)?.FullName,
                EvalEvery = parse.GetValue(evalEvery), EvalEpisodes = parse.GetValue(evalEpisodes), Video = !parse.GetValue(noVideo),
                Sac = sacDefaults with { TotalSteps = parse.GetValue(steps), Hidden = parse.GetValue(hidden), BatchSize = parse.GetValue(batch) },
                Pebble = pebbleDefaults with
                {
                    MaxFeedback = parse.GetValue(budget), QueriesPerSession = parse.GetValue(queries), QueryEvery = parse.GetValue(every),
                    SeedSteps = parse.GetValue(seedSteps), UnsupervisedSteps = parse.GetValue(unsup), SegmentLength = parse.GetValue(segment),
                    Sampling = ParseSampling(parse.GetValue(sampling)!),
                    RewardModel = pebbleDefaults.RewardModel with { MaxEpochs = parse.GetValue(rewardEpochs), Hidden = parse.GetValue(rewardHidden) },
                },
            };
            var (summary, runDir, learner) = PrefsTraining.LaunchPebble(request);
            using (learner) JsonOutput.PrintLine(PrefsTraining.Describe(summary, runDir, learner));
            return 0;
        });
        return command;
    }

    public static EnsembleAggregation ParseAggregation(string name) => name.Trim().ToLowerInvariant() switch
    {
        "mean" => EnsembleAggregation.Mean,
        "worst_case" or "worst-case" => EnsembleAggregation.WorstCase,
        "uncertainty" => EnsembleAggregation.UncertaintyWeighted,
        _ => throw new ArgumentException($"unknown aggregation '{name}'; use mean, worst_case or uncertainty"),
    };

    public static QuerySampling ParseSampling(string name) => name.Trim().ToLowerInvariant() switch
    {
        "uniform" => QuerySampling.Uniform,
        "disagreement" => QuerySampling.Disagreement,
        "entropy" => QuerySampling.Entropy,
        _ => throw new ArgumentException($"unknown query sampling '{name}'; use uniform, disagreement or entropy"),
    };

    private static Command EvalCommand()
    {
        var defaults = new RewardModelConfig();
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var pairs = new Option<int>("--pairs") { Description = "queries the teacher answers", DefaultValueFactory = _ => 500 };
        var teacher = new Option<string>("--teacher") { Description = $"scripted teacher: {string.Join(", ", TeacherConfig.PresetNames)}", DefaultValueFactory = _ => "oracle" };
        var seed = new Option<int>("--seed") { Description = "seed of episodes, sampling, teacher noise and network initialisation", DefaultValueFactory = _ => 0 };
        var segment = new Option<int>("--segment") { Description = "steps per segment", DefaultValueFactory = _ => SegmentSampler.DefaultLength };
        var episodes = new Option<int>("--episodes") { Description = "recorded training episodes (spread over the behaviour policies)", DefaultValueFactory = _ => 30 };
        var steps = new Option<int>("--episode-steps") { Description = "steps per recorded episode", DefaultValueFactory = _ => 200 };
        var heldOut = new Option<int>("--heldout") { Description = "held-out pairs, from episodes of their own", DefaultValueFactory = _ => 500 };
        var ensemble = new Option<int>("--ensemble") { Description = "reward models in the ensemble", DefaultValueFactory = _ => defaults.EnsembleSize };
        var hidden = new Option<int>("--hidden") { Description = "hidden units per layer", DefaultValueFactory = _ => defaults.Hidden };
        var epochs = new Option<int>("--epochs") { Description = "training epochs at most", DefaultValueFactory = _ => defaults.MaxEpochs };
        var validation = new Option<double>("--validation")
        {
            Description = "share of the answered queries held out to stop training when their loss stops improving (0: B-Pref's stop at 97% training accuracy)",
            DefaultValueFactory = _ => 0.1,
        };
        var patience = new Option<int>("--patience") { Description = "epochs without a better validation loss before stopping", DefaultValueFactory = _ => defaults.Patience };
        var robust = new Option<bool>("--robust") { Description = "PEARL's robust reward learning: Gaussian members (mean and variance heads) with a KL-regularised loss" };
        var aggregation = new Option<string>("--aggregation") { Description = "how members combine into the reward: mean, worst_case, uncertainty (mean − λ·std)", DefaultValueFactory = _ => "mean" };
        var saveDataset = new Option<string?>("--save-dataset") { Description = "write the answered queries here (.safetensors)" };
        var saveModel = new Option<string?>("--save-model") { Description = "write the trained ensemble here (.safetensors)" };
        var command = new Command("eval", "train a preference reward model from a scripted teacher and measure held-out accuracy against the true reward")
        {
            task, pairs, teacher, seed, segment, episodes, steps, heldOut, ensemble, hidden, epochs, validation, patience, robust, aggregation, saveDataset, saveModel,
        };
        command.SetAction(parse =>
        {
            var options = new PreferenceEvalOptions
            {
                Task = parse.GetValue(task)!, Pairs = parse.GetValue(pairs), Teacher = parse.GetValue(teacher)!, Seed = parse.GetValue(seed),
                SegmentLength = parse.GetValue(segment), Episodes = parse.GetValue(episodes), EpisodeSteps = parse.GetValue(steps),
                HeldOutPairs = parse.GetValue(heldOut), HeldOutEpisodes = Math.Max(5, parse.GetValue(episodes) / 2),
                Model = defaults with { EnsembleSize = parse.GetValue(ensemble), Hidden = parse.GetValue(hidden), MaxEpochs = parse.GetValue(epochs),
                                    ValidationFraction = parse.GetValue(validation), Patience = parse.GetValue(patience),
                                    Gaussian = parse.GetValue(robust), Aggregation = ParseAggregation(parse.GetValue(aggregation)!) },
                SaveDataset = parse.GetValue(saveDataset), SaveModel = parse.GetValue(saveModel),
            };
            var result = PreferenceEval.Run(options, new Progress<string>(line => Console.Error.WriteLine($"prefs eval: {line}")));
            JsonOutput.PrintLine(new
            {
                task = result.Task, teacher = result.Teacher, seed = result.Seed, pairs = result.Pairs, segment_length = result.SegmentLength,
                labels = new { first = result.First, second = result.Second, equal = result.Equal, skip = result.Skip },
                teacher_agreement = Round(result.TeacherAgreement),
                epochs = result.Training.Epochs, train_loss = Round(result.Training.Loss), train_accuracy = Round(result.Training.TrainAccuracy),
                validation_pairs = result.Training.ValidationPairs, validation_accuracy = result.Training.ValidationAccuracy is double va ? Round(va) : null,
                best_epoch = result.Training.BestEpoch,
                heldout_pairs = result.HeldOut.Pairs, heldout_decided = result.HeldOut.Decided, heldout_accuracy = Round(result.HeldOut.Accuracy),
                seconds = Math.Round(result.Seconds, 1),
            });
            return 0;
        });
        return command;
    }

    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}
