using System.CommandLine;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using Spectre.Console;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo collect --task T --policy expert --noise 0.3 --episodes N --seed S --out data.npz`: an offline dataset of
/// whole 500-step episodes (kept past success, as D4RL and Meta-World datasets are) with dense rewards, terminals
/// (never set: the env does not terminate) and timeouts (the last step of each episode), written as .npz.
/// </summary>
public static class CollectCommand
{
    private static readonly string[] Policies = ["expert"];

    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var policy = new Option<string>("--policy") { Description = $"who acts: {string.Join(", ", Policies)}", DefaultValueFactory = _ => "expert" };
        var noise = new Option<double>("--noise") { Description = "std of Gaussian noise on the xyz and gripper actions (then clipped to [-1, 1])", DefaultValueFactory = _ => 0.3 };
        var episodes = new Option<int>("--episodes") { Description = "episodes to record", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "episode i is reset with seed + i; the noise generator is seeded from it too", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = ".npz file to write", Required = true };
        var offsetFraction = new Option<double>("--offset-fraction") { Description = "fraction of episodes from a miscalibrated expert aiming at goal + --goal-offset", DefaultValueFactory = _ => 0 };
        var goalOffset = new Option<string>("--goal-offset") { Description = "x,y,z in metres for the miscalibrated episodes", DefaultValueFactory = _ => "0,0,0" };
        var command = new Command("collect", "record a transition dataset (.npz, D4RL keys) from a policy") { task, policy, noise, episodes, seed, output, offsetFraction, goalOffset };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(task)!;
            var who = parse.GetValue(policy)!;
            double sigma = parse.GetValue(noise);
            int n = parse.GetValue(episodes), first = parse.GetValue(seed);
            if (!Policies.Contains(who)) throw new ArgumentException($"unknown --policy '{who}'; accepted: {string.Join(", ", Policies)}");
            if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentException($"--noise must be a finite number >= 0, got {sigma}");
            if (n <= 0) throw new ArgumentException($"--episodes must be positive, got {n}");
            var path = parse.GetValue(output)!.FullName;

            using var env = new FrankaEnv(FrankaSuite.CreateTask(name));
            // Spawned, so the noise stream is not the scene RNG's stream for the same seed.
            var offset = ParseVector(parse.GetValue(goalOffset)!, "--goal-offset");
            var rollout = new ExpertRollout(env, sigma, new Rng(first).Spawn(), offset, parse.GetValue(offsetFraction));
            int perEpisode = rollout.MaxEpisodeSteps;
            if ((long)n * perEpisode > int.MaxValue / FrankaEnv.ObservationSize)
                throw new ArgumentException($"--episodes {n} makes {(long)n * perEpisode} transitions, more than one dataset holds");
            var data = TransitionDataset.Allocate(n * perEpisode, FrankaEnv.ObservationSize, env.ActionSpace.Dimension);
            var results = new List<ExpertEpisode>(n);
            AnsiConsole.Progress().Start(progress =>
            {
                var bar = progress.AddTask($"{name}: collecting ({who}, noise {sigma})", maxValue: n);
                for (int i = 0; i < n; i++)
                {
                    results.Add(rollout.Run(first + i, data, i * perEpisode));
                    bar.Increment(1);
                }
            });
            data.Save(path);
            var summary = ExpertSummary.Of(results);
            JsonOutput.PrintLine(new
            {
                @out = path, task = name, policy = who, noise = sigma, transitions = data.Count, episodes = n,
                success_rate = summary.SuccessRate, mean_return = Math.Round(summary.MeanReturn, 3),
            });
            return 0;
        });
        return command;
    }

    private static System.Numerics.Vector3 ParseVector(string text, string option)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => float.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"{option} needs three comma-separated numbers (x,y,z in metres), got '{text}'");
        var v = parts.Select(p => float.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new System.Numerics.Vector3(v[0], v[1], v[2]);
    }
}
