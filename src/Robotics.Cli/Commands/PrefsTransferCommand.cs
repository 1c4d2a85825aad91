using System.CommandLine;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Preferences.Transfer;

namespace Robotics.Cli.Commands;

/// <summary>
/// `prefs transfer --source S --target T`: PEARL's cross-task preference alignment measured against the target's
/// own reward: transferred-label accuracy, and the held-out accuracy of a reward model trained on those labels alone.
/// </summary>
public static class PrefsTransferCommand
{
    public static Command Create()
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
                transferred_decided = r.Decided, transferred_equal = r.EqualLabels, transfer_accuracy = PrefsCommand.Round(r.LabelAccuracy),
                source_teacher_agreement = PrefsCommand.Round(r.SourceTeacherAgreement),
                heldout_pairs = r.HeldOut?.Pairs, heldout_accuracy = r.HeldOut is { } h ? PrefsCommand.Round(h.Accuracy) : null,
                seconds = Math.Round(r.Seconds, 1),
            });
            return 0;
        });
        return command;
    }
}
