using System.CommandLine;
using System.Diagnostics;
using Robotics.Core.Vector;
using Robotics.Core.Wrappers;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo bench env --task pick-place --steps 20000 [--workers 2]`: env steps per second of one FrankaEnv driven by the
/// task's expert (reset every 500 steps), against raw physics on the same scene divided by the frame skip, and a
/// VectorEnv of --workers copies on as many threads. Raw physics is measured two ways: at rest with zero controls
/// (as `bench physics` does), and replaying the env run's own start states and controls through bare mj_step, which
/// costs more (a held object keeps the constraint solver busy) and isolates what the env adds on top of physics.
/// Each figure is the median of --repeats timed runs, each after a warm-up.
/// </summary>
public static class EnvBenchmark
{
    private const int WarmupSteps = 1000;

    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", DefaultValueFactory = _ => "pick-place" };
        var steps = new Option<int>("--steps") { Description = "env steps per timed run", DefaultValueFactory = _ => 20000 };
        var workers = new Option<int>("--workers") { Description = "env copies (and threads) in the vector-env run", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs; the median is reported", DefaultValueFactory = _ => 3 };
        var command = new Command("env", "env steps per second against raw physics, and the vector env's speed-up") { task, steps, workers, repeats };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(task)!;
            int n = parse.GetValue(steps), w = parse.GetValue(workers), r = Math.Max(1, parse.GetValue(repeats));
            if (n <= 0) throw new ArgumentException($"--steps must be positive, got {n}");
            if (w <= 0) throw new ArgumentException($"--workers must be positive, got {w}");
            var model = Path.GetFullPath(AssetPaths.Resolve(FrankaSuite.CreateTask(name).ModelFile));
            int frameSkip = FrankaEnvOptions.Default.FrameSkip;

            var recording = Record(name, n);
            // Interleaved, so a change in the machine's load touches every figure of a round alike.
            var rounds = Enumerable.Range(0, r).Select(_ => (
                Env: MeasureEnv(name, n),
                Physics: PhysicsBenchmark.Measure(model, n * frameSkip),
                Replay: MeasureReplay(model, recording, frameSkip),
                Vector: MeasureVector(name, n, w))).ToList();
            double env = PhysicsBenchmark.Median(rounds.Select(x => x.Env));
            double physics = PhysicsBenchmark.Median(rounds.Select(x => x.Physics));
            double replay = PhysicsBenchmark.Median(rounds.Select(x => x.Replay));
            double vector = PhysicsBenchmark.Median(rounds.Select(x => x.Vector));
            JsonOutput.PrintLine(new
            {
                task = name, model, steps = n, workers = w, frame_skip = frameSkip,
                env_steps_per_sec = Math.Round(env, 1),
                physics_steps_per_sec = Math.Round(physics, 1),
                ratio = Math.Round(env / (physics / frameSkip), 3),
                replay_physics_steps_per_sec = Math.Round(replay, 1),
                replay_ratio = Math.Round(env / (replay / frameSkip), 3),
                vector_env_steps_per_sec = Math.Round(vector, 1),
                vector_speedup = Math.Round(vector / env, 3),
            });
            return 0;
        });
        return command;
    }

    /// <summary>One env and its expert; episodes are reset every MaxEpisodeSteps with seeds 0, 1, 2, ….</summary>
    private static double MeasureEnv(string task, int steps)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var expert = env.Task.CreateExpert();
        var action = new float[env.ActionSpace.Dimension];
        int episodeSteps = env.Options.MaxEpisodeSteps, seed = 0, t = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (t == 0) { env.Reset(seed++); expert.Reset(); }
                expert.Act(env.State, action);
                env.Step(action);
                if (++t == episodeSteps) t = 0;
            }
        }
        Run(Math.Min(steps, WarmupSteps));
        t = 0;
        var clock = Stopwatch.StartNew();
        Run(steps);
        return steps / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The physics inputs of an env run: the full MuJoCo state after each reset, and every step's controls.</summary>
    private sealed record Recording(List<(int Step, double[] State)> Starts, double[] Controls, int Steps, int Nu);

    /// <summary>The run <see cref="MeasureEnv"/> times (same seeds, same expert), recorded untimed.</summary>
    private static Recording Record(string task, int steps)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var expert = env.Task.CreateExpert();
        var action = new float[env.ActionSpace.Dimension];
        var data = env.Physics.Data;
        int nu = data.Ctrl.Length, episodeSteps = env.Options.MaxEpisodeSteps;
        var starts = new List<(int, double[])>();
        var controls = new double[(long)steps * nu];
        for (int i = 0, t = 0, seed = 0; i < steps; i++)
        {
            if (t == 0) { env.Reset(seed++); expert.Reset(); starts.Add((i, data.GetState())); }
            expert.Act(env.State, action);
            env.Step(action);
            data.Ctrl.CopyTo(controls.AsSpan(i * nu, nu)); // the controls that step ran with
            if (++t == episodeSteps) t = 0;
        }
        return new Recording(starts, controls, steps, nu);
    }

    /// <summary>Bare mj_step (frame skip at a time) on the recorded inputs: the physics floor under the env's speed.</summary>
    private static double MeasureReplay(string model, Recording rec, int frameSkip)
    {
        using var m = MjModel.FromXmlFile(model);
        using var d = new MjData(m);
        void Run(int steps)
        {
            int next = 0;
            for (int i = 0; i < steps; i++)
            {
                if (next < rec.Starts.Count && rec.Starts[next].Step == i) d.SetState(rec.Starts[next++].State);
                rec.Controls.AsSpan(i * rec.Nu, rec.Nu).CopyTo(d.Ctrl);
                d.Step(frameSkip);
            }
        }
        Run(Math.Min(rec.Steps, WarmupSteps));
        var clock = Stopwatch.StartNew();
        Run(rec.Steps);
        return rec.Steps * frameSkip / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// <paramref name="copies"/> time-limited envs on as many threads, each with its own expert (reset when its copy
    /// auto-resets); <paramref name="steps"/> counts env steps over all copies.
    /// </summary>
    private static double MeasureVector(string task, int steps, int copies)
    {
        var envs = new FrankaEnv[copies];
        using var vector = VectorEnv.Create(i =>
        {
            envs[i] = new FrankaEnv(FrankaSuite.CreateTask(task));
            return new TimeLimit(envs[i], envs[i].Options.MaxEpisodeSteps);
        }, copies, copies);
        var experts = envs.Select(e => e.Task.CreateExpert()).ToArray();
        int dim = vector.SingleActionSpace.Dimension;
        var actions = new float[copies * dim];
        void Run(int batches)
        {
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < copies; i++)
                {
                    if (vector.Truncated[i] || vector.Terminated[i]) experts[i].Reset();
                    experts[i].Act(envs[i].State, actions.AsSpan(i * dim, dim));
                }
                vector.Step(actions);
            }
        }
        vector.Reset(0);
        foreach (var e in experts) e.Reset();
        Run(Math.Max(1, Math.Min(steps, WarmupSteps) / copies));
        int timed = Math.Max(1, steps / copies);
        var clock = Stopwatch.StartNew();
        Run(timed);
        return timed * copies / clock.Elapsed.TotalSeconds;
    }
}
