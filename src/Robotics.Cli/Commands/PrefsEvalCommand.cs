using System.CommandLine;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo prefs eval --task T --pairs N --teacher oracle --seed S`: records trajectories with a mix of behaviour
/// policies, has a scripted B-Pref teacher answer N segment-pair queries, trains the Bradley–Terry ensemble and
/// reports, as JSON on the last line, how often it ranks held-out pairs (from other episodes) as the true reward
/// does: heldout_accuracy.
/// </summary>
public static class PrefsEvalCommand
{
    public static Command Create()
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
                                    Gaussian = parse.GetValue(robust), Aggregation = PrefsCommand.ParseAggregation(parse.GetValue(aggregation)!) },
                SaveDataset = parse.GetValue(saveDataset), SaveModel = parse.GetValue(saveModel),
            };
            var result = PreferenceEval.Run(options, new Progress<string>(line => Console.Error.WriteLine($"prefs eval: {line}")));
            JsonOutput.PrintLine(new
            {
                task = result.Task, teacher = result.Teacher, seed = result.Seed, pairs = result.Pairs, segment_length = result.SegmentLength,
                labels = new { first = result.First, second = result.Second, equal = result.Equal, skip = result.Skip },
                teacher_agreement = PrefsCommand.Round(result.TeacherAgreement),
                epochs = result.Training.Epochs, train_loss = PrefsCommand.Round(result.Training.Loss), train_accuracy = PrefsCommand.Round(result.Training.TrainAccuracy),
                validation_pairs = result.Training.ValidationPairs, validation_accuracy = result.Training.ValidationAccuracy is double va ? PrefsCommand.Round(va) : null,
                best_epoch = result.Training.BestEpoch,
                heldout_pairs = result.HeldOut.Pairs, heldout_decided = result.HeldOut.Decided, heldout_accuracy = PrefsCommand.Round(result.HeldOut.Accuracy),
                seconds = Math.Round(result.Seconds, 1),
            });
            return 0;
        });
        return command;
    }
}
