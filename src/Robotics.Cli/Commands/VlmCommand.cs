using System.CommandLine;
using Robotics.Core.Data;
using Robotics.Core.Images;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Vision.Offline;
using Robotics.Rewards.Vision.RlVlmF;
using Robotics.Rewards.Vision.VlmRm;

namespace Robotics.Cli.Commands;

/// <summary>
/// Vision-language rewards outside a training run: `robo vlm rm` scores frames with VLM-RM's CLIP reward (to pick
/// prompts and α before training), and `robo vlm relabel` runs the offline path (RL-VLM-F labels from a VLM endpoint,
/// a Bradley–Terry reward, the dataset relabelled) and writes the relabelled .npz for `robo train --algorithm iql`.
/// </summary>
public static class VlmCommand
{
    public static Command Create()
    {
        var command = new Command("vlm", "vision-language rewards: VLM-RM scores, RL-VLM-F relabelling of offline datasets");
        command.Subcommands.Add(Score());
        command.Subcommands.Add(Relabel());
        return command;
    }

    private static Command Score()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Hugging Face CLIP directory", Required = true };
        var goals = new Option<string[]>("--goal") { Description = "goal prompt(s)", Required = true, AllowMultipleArgumentsPerToken = true };
        var baselines = new Option<string[]>("--baseline") { Description = "baseline prompt(s)", Required = true, AllowMultipleArgumentsPerToken = true };
        var alpha = new Option<double>("--alpha") { Description = "0 = cosine similarity to the goal, 1 = only the goal−baseline direction", DefaultValueFactory = _ => 0.5 };
        var images = new Option<FileInfo[]>("--image") { Description = "PNG frame(s) to score", Required = true, AllowMultipleArgumentsPerToken = true };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var command = new Command("rm", "VLM-RM rewards of frames for goal and baseline prompts") { model, goals, baselines, alpha, images, device };
        command.SetAction(parse =>
        {
            var config = new VlmRmConfig { GoalPrompts = parse.GetValue(goals)!, BaselinePrompts = parse.GetValue(baselines)!, Alpha = parse.GetValue(alpha) };
            using var source = VlmRmRewardSource.Load(parse.GetValue(model)!.FullName, config, ClipCommand.ParseDevice(parse.GetValue(device)!));
            var files = parse.GetValue(images)!;
            var labels = source.LabelFrames(files.Select(f => Png.Read(f.FullName)).ToArray());
            for (int i = 0; i < files.Length; i++)
                Console.WriteLine($"{files[i].Name}: reward {labels[i].Reward:F4} ({string.Join(", ", labels[i].Components.Skip(1).Select(c => $"{c.Name} {c.Value:F4}"))})");
            JsonOutput.PrintLine(new
            {
                alpha = config.Alpha, images = files.Select(f => f.Name).ToArray(),
                rewards = labels.Select(l => Math.Round(l.Reward, 6)).ToArray(),
                goal_cosine = labels.Select(l => Math.Round(l.Components[1].Value, 6)).ToArray(),
                baseline_cosine = labels.Select(l => Math.Round(l.Components[2].Value, 6)).ToArray(),
            });
            return 0;
        });
        return command;
    }

    private static Command Relabel()
    {
        var dataset = new Option<FileInfo>("--dataset") { Description = ".npz from `robo collect`", Required = true };
        var task = new Option<string>("--task") { Description = "the task the dataset was recorded on (its frames are re-rendered by replay)", Required = true };
        var goal = new Option<string>("--goal") { Description = "the goal, read after \"The goal is\": e.g. \"to push the red puck onto the green target\"", Required = true };
        var model = new Option<string?>("--model") { Description = "the VLM ($OPENAI_MODEL, or gpt-4o)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "OpenAI-compatible server ($OPENAI_BASE_URL, or OpenAI's)" };
        var pairs = new Option<int>("--pairs") { Description = "frame pairs to ask about", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "pair sampling and reward-model seed", DefaultValueFactory = _ => 0 };
        var firstSeed = new Option<int>("--first-seed") { Description = "the --seed `robo collect` used (episode k was reset with it + k)", DefaultValueFactory = _ => 0 };
        var rpm = new Option<double?>("--requests-per-minute") { Description = "space requests to stay under the server's rate limit" };
        var concurrency = new Option<int>("--concurrency") { Description = "questions in flight at once", DefaultValueFactory = _ => 4 };
        var cache = new Option<FileInfo?>("--cache") { Description = "answer cache (.jsonl); default: beside --out" };
        var output = new Option<FileInfo>("--out") { Description = "relabelled dataset (.npz)", Required = true };
        var command = new Command("relabel", "label an offline dataset with VLM preferences, learn a reward, write the relabelled dataset")
            { dataset, task, goal, model, baseUrl, pairs, seed, firstSeed, rpm, concurrency, cache, output };
        command.SetAction(async (parse, cancellation) =>
        {
            var data = TransitionDataset.Load(parse.GetValue(dataset)!.FullName);
            var outPath = parse.GetValue(output)!.FullName;
            var cachePath = parse.GetValue(cache)?.FullName ?? Path.ChangeExtension(outPath, ".answers.jsonl");
            var result = await RunRelabel(data, parse.GetValue(task)!, parse.GetValue(goal)!,
                LlmSettings.FromEnvironment(parse.GetValue(model), parse.GetValue(baseUrl)), parse.GetValue(rpm), parse.GetValue(concurrency), cachePath,
                new OfflineVlmConfig { Pairs = parse.GetValue(pairs), Seed = parse.GetValue(seed), FirstSeed = parse.GetValue(firstSeed) },
                line => Console.WriteLine($"rl-vlm-f: {line}"), cancellation);
            result.Relabelled.Save(outPath);
            JsonOutput.PrintLine(Describe(result, outPath, cachePath));
            return 0;
        });
        return command;
    }

    /// <summary>The offline relabelling with an OpenAI-compatible endpoint; shared by the command and experiment files.</summary>
    public static async Task<OfflineVlmResult> RunRelabel(TransitionDataset data, string task, string goal, LlmSettings settings, double? requestsPerMinute,
        int concurrency, string cachePath, OfflineVlmConfig config, Action<string> log, CancellationToken cancellation = default)
    {
        using var answers = new VlmAnswerCache(cachePath);
        var labeller = new VlmPreferenceLabeller(new OpenAIVisionChatModel(settings), goal, answers,
            requestsPerMinute is double r ? new RequestRateLimiter(r) : null, concurrency);
        return await OfflineVlmRelabelling.RunAsync(data, task, labeller, config, log, cancellation);
    }

    public static object Describe(OfflineVlmResult result, string outPath, string cachePath) => new
    {
        dataset = outPath, answers = cachePath, asked = result.Stats.Asked, kept = result.Stats.Preferred, unsure = result.Stats.Unsure,
        malformed = result.Stats.Malformed, failed = result.Stats.Failed, cached = result.Stats.Cached,
        label_accuracy = Math.Round(result.LabelAccuracy, 4), correlation_with_original = Math.Round(result.CorrelationWithOriginal, 4),
    };
}
