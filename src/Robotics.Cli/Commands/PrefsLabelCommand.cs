using System.CommandLine;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Human;

namespace Robotics.Cli.Commands;

/// <summary>
/// `prefs label --task T --pairs N --out queries.safetensors`: records episodes with the behaviour-policy mix, then
/// serves a page on 127.0.0.1 where a person answers N queries between two clips; each answer is saved as given.
/// </summary>
public static class PrefsLabelCommand
{
    public static Command Create()
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
            var rng = new Rng(parse.GetValue(seed));
            using var env = new FrankaEnv(FrankaSuite.CreateTask(name));
            var trajectories = new TrajectoryCollector(env).Collect(BehaviourPolicy.DefaultMix, parse.GetValue(episodes), parse.GetValue(seed), parse.GetValue(steps), rng.Spawn());
            var queries = SegmentSampler.SamplePairs(trajectories, count, length, rng.Spawn());
            var dataset = new PreferenceDataset(length, env.ActionSpace.Dimension, name);
            var clips = new ReplayClips(env, trajectories);
            var path = parse.GetValue(output)!.FullName;
            using (var server = new LabellingServer(queries, clips.Render, dataset, parse.GetValue(port)))
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
}
