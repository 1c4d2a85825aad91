using System.CommandLine;
using System.Text.Json;
using Robotics.Core.Wrappers;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Spectre.Console;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo run FILE.yaml`: runs an experiment into runs/{name}__{task}__{seed}__{unixtime}/ with a copy of the file,
/// per-episode results, a video of the first episode and a summary. Today it rolls out the scripted expert.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("experiment") { Description = "experiment file (YAML), e.g. experiments/demo.yaml" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/<generated name>)" };
        var command = new Command("run", "run an experiment file") { file, output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            var experiment = ExperimentFile.Load(path);
            var runName = $"{experiment.Name}__{experiment.Task}__{experiment.Seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
            var runDir = parse.GetValue(output)?.FullName ?? experiment.Out ?? Path.Combine("runs", runName);
            Directory.CreateDirectory(runDir);
            File.Copy(path, Path.Combine(runDir, "experiment.yaml"), overwrite: true);

            var task = FrankaSuite.CreateTask(experiment.Task);
            using var frankaEnv = new FrankaEnv(task);
            using var env = new RecordEpisodeStatistics(new TimeLimit(frankaEnv, frankaEnv.Options.MaxEpisodeSteps));
            var expert = task.CreateExpert();
            var action = new float[4];
            var episodes = new List<EpisodeResult>();
            string? video = null;
            AnsiConsole.Progress().Start(progress =>
            {
                var bar = progress.AddTask($"{experiment.Task}: expert rollouts", maxValue: experiment.Episodes);
                for (int ep = 0; ep < experiment.Episodes; ep++)
                {
                    env.Reset(experiment.Seed + ep);
                    expert.Reset();
                    using var writer = ep == 0 && experiment.Video
                        ? new Core.Video.VideoWriter(Path.Combine(runDir, "episode-0.mp4"), frankaEnv.Options.RenderWidth, frankaEnv.Options.RenderHeight)
                        : null;
                    writer?.WriteFrame(frankaEnv.Render());
                    while (true)
                    {
                        expert.Act(frankaEnv.State, action);
                        var r = env.Step(action);
                        writer?.WriteFrame(frankaEnv.Render());
                        if (!r.Done) continue;
                        episodes.Add(new EpisodeResult(ep, experiment.Seed + ep,
                            r.Info[RecordEpisodeStatistics.ReturnKey], r.Info[RecordEpisodeStatistics.SuccessKey] > 0.5));
                        break;
                    }
                    if (writer != null) video = writer.Path;
                    bar.Increment(1);
                }
            });
            double successRate = episodes.Count(e => e.Success) / (double)episodes.Count;
            var summary = new { run_dir = Path.GetFullPath(runDir), task = experiment.Task, policy = experiment.Policy, episodes = episodes.Count, success_rate = successRate, video };
            File.WriteAllText(Path.Combine(runDir, "episodes.json"), JsonSerializer.Serialize(episodes, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            File.WriteAllText(Path.Combine(runDir, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
            JsonOutput.PrintLine(summary);
            return 0;
        });
        return command;
    }
}

/// <summary>One evaluated episode, as written to episodes.json.</summary>
public sealed record EpisodeResult(int Episode, int Seed, double EpisodeReturn, bool Success);
