using System.CommandLine;
using System.Diagnostics;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.Sources;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo bench reward --task push`: per-step cost of a compiled reward program against the task's hand-written
/// reward, on states the scripted expert visits (episodes of 500 steps, seeds 0, 1, …). The program defaults to the
/// embedded one that computes exactly the hand-written reward, so the ratio is the sandbox's overhead (budget
/// checks, the failure guard, the NaN check, a delegate call into a collectible assembly); --program times another.
/// Both are timed bare and as reward sources (with their component arrays, as the env wrapper calls them).
/// Each figure is the median of --repeats runs of --calls calls, after a warm-up run.
/// </summary>
public static class RewardBenchmark
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", DefaultValueFactory = _ => "push" };
        var program = new Option<FileInfo?>("--program") { Description = "reward program to time (default: the one equivalent to the task's hand-written reward)" };
        var states = new Option<int>("--states") { Description = "distinct expert states cycled through", DefaultValueFactory = _ => 4000 };
        var calls = new Option<int>("--calls") { Description = "reward calls per timed run", DefaultValueFactory = _ => 400_000 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs; the median is reported", DefaultValueFactory = _ => 5 };
        var command = new Command("reward", "per-step cost of a compiled reward program against the hand-written reward") { task, program, states, calls, repeats };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(task)!;
            int n = parse.GetValue(states), c = parse.GetValue(calls), r = Math.Max(1, parse.GetValue(repeats));
            if (n <= 0) throw new ArgumentException($"--states must be positive, got {n}");
            if (c <= 0) throw new ArgumentException($"--calls must be positive, got {c}");
            var file = parse.GetValue(program)?.FullName;
            var source = file is null ? HandWrittenEquivalents.Source(name) : File.ReadAllText(file);
            var compiled = new ProgramCompiler().Compile(source);
            if (compiled.Program is not { } reward) throw new RewardProgramRefusedException(file ?? $"equivalent of {name}", compiled);
            using (reward)
            {
                var task = FrankaSuite.CreateTask(name);
                var (views, actions) = Record(name, n);
                double maxDiff = 0;
                for (int i = 0; i < n; i++)
                    maxDiff = Math.Max(maxDiff, Math.Abs(reward.Evaluate(views[i], actions[i]).Value - task.ComputeReward(views[i], actions[i]).Reward));

                var taskSource = new TaskRewardSource(task);
                var programSource = new ProgramRewardSource(reward);
                var medians = Measure(r,
                    () => TimeTask(task, views, actions, c),
                    () => TimeProgram(reward, views, actions, c),
                    () => TimeSource(taskSource, views, actions, c),
                    () => TimeSource(programSource, views, actions, c));
                double hand = medians[0], prog = medians[1], handSource = medians[2], progSource = medians[3];
                JsonOutput.PrintLine(new
                {
                    task = name, program = file ?? "hand-written equivalent (embedded)", states = n, calls = c, repeats = r,
                    compile_ms = Math.Round(compiled.Elapsed.TotalMilliseconds, 1),
                    hand_written_ns = Math.Round(hand, 1),
                    program_ns = Math.Round(prog, 1),
                    ratio = Math.Round(prog / hand, 3),
                    task_source_ns = Math.Round(handSource, 1),
                    program_source_ns = Math.Round(progSource, 1),
                    source_ratio = Math.Round(progSource / handSource, 3),
                    max_abs_diff = maxDiff,
                    within_2x = prog / hand <= 2,
                });
            }
            return 0;
        });
        return command;
    }

    /// <summary>The states (after each step) and actions of the expert's episodes.</summary>
    private static (FrankaState[] States, float[][] Actions) Record(string task, int count)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var expert = env.Task.CreateExpert();
        var states = new FrankaState[count];
        var actions = new float[count][];
        for (int i = 0, t = 0, seed = 0; i < count; i++)
        {
            if (t == 0) { env.Reset(seed++); expert.Reset(); }
            actions[i] = new float[env.ActionSpace.Dimension];
            expert.Act(env.State, actions[i]);
            env.Step(actions[i]);
            states[i] = env.State;
            if (++t == env.Options.MaxEpisodeSteps) t = 0;
        }
        return (states, actions);
    }

    /// <summary>
    /// Nanoseconds per call of each run: warm-up rounds for at least a second (tiered compilation promotes hot
    /// methods in the background some 100 ms after the last new method was compiled, so counting calls is not
    /// enough for a reward as cheap as reach's), then the timed rounds interleaved, so a slower moment of the
    /// machine falls on all of them alike; medians.
    /// </summary>
    private static double[] Measure(int repeats, params Func<double>[] runs)
    {
        var warm = Stopwatch.StartNew();
        for (int round = 0; round < 2 || warm.Elapsed < TimeSpan.FromSeconds(1); round++)
            foreach (var run in runs) run();
        var times = runs.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < repeats; i++)
            for (int k = 0; k < runs.Length; k++) times[k].Add(runs[k]());
        return times.Select(t => t.OrderBy(x => x).ElementAt(t.Count / 2)).ToArray();
    }

    // One loop per kind, so neither side pays for a delegate the other does not; the sums keep the calls alive.
    private static double TimeTask(IFrankaTask task, FrankaState[] states, float[][] actions, int calls)
    {
        double sum = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0, k = 0; i < calls; i++, k = k + 1 == states.Length ? 0 : k + 1) sum += task.ComputeReward(states[k], actions[k]).Reward;
        return Keep(sum, clock.Elapsed.TotalNanoseconds / calls);
    }

    private static double TimeProgram(CompiledProgram program, FrankaState[] states, float[][] actions, int calls)
    {
        double sum = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0, k = 0; i < calls; i++, k = k + 1 == states.Length ? 0 : k + 1) sum += program.Evaluate(states[k], actions[k]).Value;
        return Keep(sum, clock.Elapsed.TotalNanoseconds / calls);
    }

    private static double TimeSource(IRewardSource source, FrankaState[] states, float[][] actions, int calls)
    {
        double sum = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0, k = 0; i < calls; i++, k = k + 1 == states.Length ? 0 : k + 1) sum += source.Label(states[k], actions[k]).Reward;
        return Keep(sum, clock.Elapsed.TotalNanoseconds / calls);
    }

    private static double Keep(double sum, double nanoseconds) => double.IsNaN(sum) ? double.NaN : nanoseconds;
}
