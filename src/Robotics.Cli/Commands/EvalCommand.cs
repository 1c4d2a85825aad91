using System.CommandLine;
using Robotics.Agents;
using Robotics.Agents.Evaluation;
using Robotics.Core.Video;
using Robotics.Envs;
using Robotics.Envs.Franka;

namespace Robotics.Cli.Commands;

/// <summary>`robo eval CHECKPOINT --episodes N [--video out.mp4]`: deterministic evaluation of a saved policy on its task.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<FileInfo>("checkpoint") { Description = "a checkpoint written by robo train (.ckpt)" };
        var episodes = new Option<int>("--episodes") { Description = "episodes to run", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of the first episode (episode i uses seed + i)", DefaultValueFactory = _ => 1_000_000 };
        var video = new Option<FileInfo?>("--video") { Description = "film the first episode (.mp4 or .gif)" };
        var task = new Option<string?>("--task") { Description = "task (default: the one the checkpoint was trained on)" };
        var stochastic = new Option<bool>("--stochastic") { Description = "sample actions instead of taking the policy's mode" };
        var command = new Command("eval", "evaluate a checkpoint: success rate and return") { checkpoint, episodes, seed, video, task, stochastic };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(episodes);
            if (n < 1) throw new ArgumentException($"--episodes must be at least 1, got {n}");
            using var loaded = PolicyLoader.Load(parse.GetValue(checkpoint)!.FullName);
            var taskName = parse.GetValue(task) ?? loaded.Task
                           ?? throw new ArgumentException("the checkpoint does not say which task it was trained on; pass --task");
            var options = FrankaEnvOptions.Default with
            {
                Control = loaded.Metadata.TryGetValue("control", out var c) && c == nameof(ControlMode.JointDelta) ? ControlMode.JointDelta : ControlMode.EndEffector,
            };
            using var env = FrankaSuite.Make(taskName, options);
            if (env.ObservationSpace.Dimension != loaded.Policy.ObservationSize || env.ActionSpace.Dimension != loaded.Policy.ActionSize)
                throw new InvalidDataException($"the checkpoint's policy takes {loaded.Policy.ObservationSize} observations and gives {loaded.Policy.ActionSize} actions; task {taskName} has {env.ObservationSpace.Dimension} and {env.ActionSpace.Dimension}");
            var videoPath = parse.GetValue(video)?.FullName;
            VideoWriter? writer = null;
            if (videoPath is not null)
            {
                var frame = env.Render();
                writer = new VideoWriter(videoPath, frame.Width, frame.Height);
            }
            EvaluationResult result;
            using (writer)
                result = Evaluator.Evaluate(env, loaded.Policy, n, parse.GetValue(seed), deterministic: !parse.GetValue(stochastic),
                                            recordFrame: writer is null ? null : writer.WriteFrame);
            JsonOutput.PrintLine(new
            {
                checkpoint = parse.GetValue(checkpoint)!.FullName, algorithm = loaded.Algorithm, task = taskName, episodes = n,
                success_rate = result.SuccessRate, mean_return = result.MeanReturn, mean_length = result.MeanLength, video = videoPath,
                // Each failure can be replayed alone: --seed S --episodes 1 --video failure.mp4
                failed_seeds = result.Episodes.Where(e => !e.Success).Select(e => e.Seed).ToArray(),
                // Where each failure ended (its last step's info: obj_to_goal, the reward's terms): stalled short, or lost?
                failures = result.Episodes.Where(e => !e.Success)
                    .Select(e => new { seed = e.Seed, @return = e.Return, final_info = e.FinalInfo }).ToArray(),
            });
            return 0;
        });
        return command;
    }
}
