using System.CommandLine;
using Robotics.Cli.Training;

namespace Robotics.Cli.Commands;

/// <summary>`robo train --task T --algo sac …`: trains into a run directory and prints a JSON summary on its last line.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var algo = new Option<string>("--algo") { Description = "sac | ppo | iql | bc", DefaultValueFactory = _ => "sac" };
        var steps = new Option<long?>("--steps") { Description = "env steps (online) or gradient steps (offline)" };
        var dataset = new Option<FileInfo?>("--dataset") { Description = "offline dataset (.npz) for iql and bc" };
        var seed = new Option<int>("--seed") { Description = "seed for networks, env and sampling", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/{task}__{algo}__{seed}__{time})" };
        var device = new Option<string>("--device") { Description = "cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var resume = new Option<FileInfo?>("--resume") { Description = "checkpoint to continue from" };
        var evalEvery = new Option<long>("--eval-every") { Description = "evaluate every N steps (0 = only at the end)", DefaultValueFactory = _ => 10_000 };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "episodes per evaluation", DefaultValueFactory = _ => 10 };
        var finalPolicy = new Option<string>("--final-policy") { Description = "last | best: which policy the final evaluation and video are of (best.ckpt is kept either way)", DefaultValueFactory = _ => "last" };
        finalPolicy.AcceptOnlyFromAmong("last", "best");
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "checkpoint every N steps", DefaultValueFactory = _ => 10_000 };
        var replay = new Option<bool>("--checkpoint-replay") { Description = "store the replay buffer in checkpoints (exact resume)" };
        var noVideo = new Option<bool>("--no-video") { Description = "skip the final evaluation video" };
        var rewardProgram = new Option<FileInfo?>("--reward-program") { Description = "train on a reward program (.cs, checked in the sandbox) instead of the task's reward" };
        var herGoals = new Option<int>("--her-goals") { Description = "sac on reach, push, pick-place: hindsight goals per real one (HER, SB3's n_sampled_goal: 4); 0 = off", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "train an agent on a task")
            { task, algo, steps, dataset, seed, output, device, threads, resume, evalEvery, evalEpisodes, finalPolicy, checkpointEvery, replay, noVideo, rewardProgram, herGoals };
        command.SetAction(parse =>
        {
            var request = new TrainRequest
            {
                Task = parse.GetValue(task)!,
                Algorithm = parse.GetValue(algo)!,
                Steps = parse.GetValue(steps),
                Dataset = parse.GetValue(dataset)?.FullName,
                Seed = parse.GetValue(seed),
                Out = parse.GetValue(output)?.FullName,
                Device = parse.GetValue(device)!,
                Threads = parse.GetValue(threads),
                Resume = parse.GetValue(resume)?.FullName,
                EvalEvery = parse.GetValue(evalEvery),
                EvalEpisodes = parse.GetValue(evalEpisodes),
                FinalPolicy = parse.GetValue(finalPolicy)!,
                CheckpointEvery = parse.GetValue(checkpointEvery),
                CheckpointReplayBuffer = parse.GetValue(replay),
                Video = !parse.GetValue(noVideo),
                RewardProgram = parse.GetValue(rewardProgram)?.FullName,
                Sac = new() { HerGoals = parse.GetValue(herGoals) },
            };
            var (summary, runDir) = TrainingLauncher.Launch(request);
            JsonOutput.PrintLine(TrainingLauncher.Describe(summary, runDir));
            return 0;
        });
        return command;
    }
}
