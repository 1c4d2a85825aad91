using System.CommandLine;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using Spectre.Console;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo expert --task T --episodes 50 --seed 0`: the task's scripted expert over seeded whole episodes (seeds
/// seed … seed+N−1, 500 steps each); success = info.Success at any step. The last line is the summary as JSON.
/// </summary>
public static class ExpertCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var episodes = new Option<int>("--episodes") { Description = "episodes to roll out", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "seed of the first episode; episode i uses seed + i", DefaultValueFactory = _ => 0 };
        var command = new Command("expert", "measure a task's scripted expert: success rate, return, steps to success") { task, episodes, seed };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(task)!;
            int n = parse.GetValue(episodes), first = parse.GetValue(seed);
            if (n <= 0) throw new ArgumentException($"--episodes must be positive, got {n}");
            using var env = new FrankaEnv(FrankaSuite.CreateTask(name));
            var rollout = new ExpertRollout(env);
            var results = new List<ExpertEpisode>(n);
            AnsiConsole.Progress().Start(progress =>
            {
                var bar = progress.AddTask($"{name}: expert episodes", maxValue: n);
                for (int i = 0; i < n; i++)
                {
                    results.Add(rollout.Run(first + i));
                    bar.Increment(1);
                }
            });
            var summary = ExpertSummary.Of(results);
            JsonOutput.PrintLine(new
            {
                task = name, episodes = n, seed = first,
                success_rate = summary.SuccessRate,
                mean_return = Math.Round(summary.MeanReturn, 3),
                mean_steps_to_success = summary.MeanStepsToSuccess is double s ? Math.Round(s, 2) : (double?)null,
            });
            return 0;
        });
        return command;
    }
}
