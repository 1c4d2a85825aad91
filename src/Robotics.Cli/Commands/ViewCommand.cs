using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Robotics.Agents;
using Robotics.Core.Images;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;
using Robotics.MuJoCo.Viewing;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo view --task T [--policy CHECKPOINT | --expert] [--seed S] [--screenshot out.png --frames N]`: a window showing
/// the task's scene, stepped in real time by a checkpoint's policy (deterministic), the task's scripted expert, or zero
/// actions. With --screenshot it draws N frames, one env step each, writes the last as a PNG and exits.
/// </summary>
public static class ViewCommand
{
    public static Command Create()
    {
        var task = new Option<string?>("--task") { Description = "task to show (default with --policy: the checkpoint's task)" };
        var policy = new Option<FileInfo?>("--policy") { Description = "a checkpoint written by robo train (.ckpt); acts deterministically" };
        var expert = new Option<bool>("--expert") { Description = "act with the task's scripted expert" };
        var seed = new Option<int>("--seed") { Description = "seed of the first episode (episode i uses seed + i)", DefaultValueFactory = _ => 0 };
        var screenshot = new Option<FileInfo?>("--screenshot") { Description = "draw --frames frames (one env step each), write the last to this PNG, exit" };
        var frames = new Option<int?>("--frames") { Description = "frames to draw before the screenshot (default 30)" };
        var width = new Option<int>("--width") { Description = "window width", DefaultValueFactory = _ => 1024 };
        var height = new Option<int>("--height") { Description = "window height", DefaultValueFactory = _ => 768 };
        var command = new Command("view", "watch a task in an interactive window (mouse: orbit, move, zoom; space: pause)")
            { task, policy, expert, seed, screenshot, frames, width, height };
        command.SetAction(parse => Run(new ViewSettings(
            parse.GetValue(task), parse.GetValue(policy)?.FullName, parse.GetValue(expert), parse.GetValue(seed),
            parse.GetValue(screenshot)?.FullName, parse.GetValue(frames), parse.GetValue(width), parse.GetValue(height))));
        return command;
    }

    private sealed record ViewSettings(string? Task, string? Policy, bool Expert, int Seed, string? Screenshot, int? Frames,
        int Width, int Height);

    private const int DefaultScreenshotFrames = 30;

    private static int Run(ViewSettings s)
    {
        Validate(s);
        // Everything that can be wrong with the task or checkpoint is found before a window is asked for,
        // so those errors read the same with or without a display.
        using var actor = CreateActor(s, out var taskName, out var options);
        using var env = new FrankaEnv(FrankaSuite.CreateTask(taskName), options);
        actor.Bind(env, taskName);
        var episode = new Episode(env, actor, s.Seed);
        episode.Restart();

        using var window = ViewerWindow.Open(s.Width, s.Height, $"robo view — {taskName} ({actor.Name})");
        using var renderer = new WindowRenderer(window, env.Physics.Model);
        // Open on the view the env's frames and videos use, as a free camera the mouse can then move.
        renderer.Scene.LookFrom(env.Options.Camera, env.Physics.Data);
        var overlay = new StatusOverlay(taskName, actor.Name);
        if (s.Screenshot is { } path) return Screenshot(renderer, episode, overlay, path, s.Frames ?? DefaultScreenshotFrames);
        Interactive(renderer, episode, overlay);
        return 0;
    }

    private static void Validate(ViewSettings s)
    {
        if (s.Policy is not null && s.Expert) throw new ArgumentException("--policy and --expert are alternatives; pass one");
        if (s.Task is null && s.Policy is null) throw new ArgumentException("--task is required (it may be left out only with --policy)");
        if (s.Frames is { } n && n < 1) throw new ArgumentException($"--frames must be at least 1, got {n}");
        if (s.Frames is not null && s.Screenshot is null) throw new ArgumentException("--frames applies only with --screenshot");
        if (s.Width < 1 || s.Height < 1) throw new ArgumentException($"the window size must be positive, got {s.Width}x{s.Height}");
    }

    // ---- who acts ------------------------------------------------------------------------------------------

    private static IActor CreateActor(ViewSettings s, out string taskName, out FrankaEnvOptions options)
    {
        options = FrankaEnvOptions.Default;
        if (s.Policy is null)
        {
            taskName = s.Task!;
            return s.Expert ? new ExpertActor() : new ZeroActor();
        }
        var loaded = PolicyLoader.Load(s.Policy);
        try
        {
            taskName = s.Task ?? loaded.Task
                       ?? throw new InvalidDataException($"checkpoint '{s.Policy}' does not say which task it was trained on; pass --task");
            if (loaded.Task is { } trained && trained != taskName)
                throw new InvalidDataException(
                    $"checkpoint '{s.Policy}' was trained on task '{trained}', not '{taskName}'; leave out --task to view it on its own task");
            // The checkpoint's control mode decides the action layout, as in robo eval.
            options = options with
            {
                Control = loaded.Metadata.TryGetValue("control", out var c) && c == nameof(ControlMode.JointDelta)
                    ? ControlMode.JointDelta : ControlMode.EndEffector,
            };
            return new PolicyActor(loaded, s.Policy);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Chooses each step's action.</summary>
    private interface IActor : IDisposable
    {
        string Name { get; }
        /// <summary>Once, before the first episode: the env it will act in (to check it fits, or to build on its task).</summary>
        void Bind(FrankaEnv env, string taskName) { }
        void Reset();
        void Act(FrankaEnv env, ReadOnlySpan<float> observation, Span<float> action);
        void IDisposable.Dispose() { }
    }

    private sealed class ZeroActor : IActor
    {
        public string Name => "zero actions";
        public void Reset() { }
        public void Act(FrankaEnv env, ReadOnlySpan<float> observation, Span<float> action) => action.Clear();
    }

    private sealed class ExpertActor : IActor
    {
        private IScriptedPolicy? _expert;

        public string Name => "scripted expert";
        public void Bind(FrankaEnv env, string taskName) => _expert = env.Task.CreateExpert(); // the expert of the env's own task object
        public void Reset() => Expert.Reset();
        public void Act(FrankaEnv env, ReadOnlySpan<float> observation, Span<float> action) => Expert.Act(env.State, action);
        private IScriptedPolicy Expert => _expert ?? throw new InvalidOperationException("the expert is used before Bind");
    }

    private sealed class PolicyActor(LoadedPolicy loaded, string path) : IActor
    {
        public string Name => $"{loaded.Algorithm} policy {Path.GetFileName(path)}";
        public void Reset() => loaded.Policy.Reset();
        public void Act(FrankaEnv env, ReadOnlySpan<float> observation, Span<float> action) =>
            loaded.Policy.Act(observation, action, deterministic: true);

        public void Bind(FrankaEnv env, string taskName)
        {
            var p = loaded.Policy;
            if (p.ObservationSize != env.ObservationSpace.Dimension || p.ActionSize != env.ActionSpace.Dimension)
                throw new InvalidDataException(
                    $"checkpoint '{path}' does not fit task {taskName}: its policy takes {p.ObservationSize} observations and gives " +
                    $"{p.ActionSize} actions; the task has {env.ObservationSpace.Dimension} and {env.ActionSpace.Dimension}");
        }

        public void Dispose() => loaded.Dispose();
    }

    // ---- the episode being shown ------------------------------------------------------------------------------

    /// <summary>
    /// One env, stepped by the actor. After the time limit the next episode starts (seed + 1, + 2, ...);
    /// <see cref="Restart"/> replays the current one from its seed.
    /// </summary>
    private sealed class Episode(FrankaEnv env, IActor actor, int firstSeed)
    {
        private readonly float[] _action = new float[env.ActionSpace.Dimension];
        private float[] _observation = [];

        public FrankaEnv Env => env;
        public int Number { get; private set; }
        public int Seed => firstSeed + Number;
        public int Step { get; private set; }
        public int MaxSteps => env.Options.MaxEpisodeSteps;
        public double Reward { get; private set; }
        public double Return { get; private set; }
        public bool Success { get; private set; }

        public void Restart()
        {
            _observation = env.Reset(Seed).Observation;
            actor.Reset();
            (Step, Reward, Return, Success) = (0, 0, 0, false);
        }

        /// <summary>One env step (12.5 ms of simulated time by default); the first step past the limit starts the next episode.</summary>
        public void Advance()
        {
            if (Step >= MaxSteps)
            {
                Number++;
                Restart();
            }
            actor.Act(env, _observation, _action);
            var result = env.Step(_action);
            _observation = result.Observation;
            Step++;
            Reward = result.Reward;
            Return += result.Reward;
            Success = result.Info.Success;
        }
    }

    // ---- drawing ----------------------------------------------------------------------------------------------

    /// <summary>The status (top left) and the key help (bottom left), drawn over every frame.</summary>
    private sealed class StatusOverlay(string taskName, string actorName)
    {
        private const string StatusTitles = "Task\nActions\nEpisode\nStep\nReward\nReturn\nSuccess\nState";
        private const string HelpTitles = "Space\nRight arrow\nBackspace\nC\nLeft drag\nRight drag\nScroll\nEsc";
        private const string HelpValues = "pause / resume\nstep once (paused)\nrestart episode\ncontacts on / off\norbit (shift: horizontal)\nmove (shift: horizontal)\nzoom\nquit";

        public bool Draw(WindowRenderer renderer, Episode e, bool paused)
        {
            if (!renderer.Render(e.Env.Physics.Data)) return false;
            var values = string.Create(CultureInfo.InvariantCulture,
                $"{taskName}\n{actorName}\n{e.Number + 1} (seed {e.Seed})\n{e.Step} / {e.MaxSteps}\n{e.Reward:F3}\n{e.Return:F2}\n" +
                $"{(e.Success ? "yes" : "no")}\n{(paused ? "PAUSED" : "running")}");
            renderer.Overlay(OverlayCorner.TopLeft, StatusTitles, values);
            renderer.Overlay(OverlayCorner.BottomLeft, HelpTitles, HelpValues);
            return true;
        }
    }

    // ---- the two ways to run --------------------------------------------------------------------------------

    /// <summary>
    /// Frames with one env step each, no clock: the picture depends only on task, actor, seed and frame count,
    /// so the same command gives the same PNG.
    /// </summary>
    private static int Screenshot(WindowRenderer renderer, Episode episode, StatusOverlay overlay, string path, int frames)
    {
        var window = renderer.Window;
        byte[]? pixels = null;
        for (int frame = 1; frame <= frames && !window.ShouldClose; frame++)
        {
            window.PollEvents();
            while (window.TryTakeEvent(out _)) { } // input is not acted on while filming
            episode.Advance();
            if (!overlay.Draw(renderer, episode, paused: false))
                throw new InvalidOperationException("the window has no area to draw into (minimised?)");
            if (frame == frames) pixels = renderer.ReadPixels(); // the back buffer, so before the swap
            window.SwapBuffers();
        }
        if (pixels is null) throw new InvalidOperationException("the window was closed before the screenshot was taken");
        var (width, height) = renderer.FrameSize;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Png.Write(path, RgbImage.Create(width, height, pixels));
        JsonOutput.PrintLine(new
        {
            screenshot = path, width, height, frames, task = episode.Env.Task.Name, seed = episode.Seed, step = episode.Step,
            reward = episode.Reward, success = episode.Success, camera = CameraJson(renderer.Scene),
        });
        return 0;
    }

    private static object CameraJson(ViewerScene scene)
    {
        var c = scene.Camera;
        return new { lookat = new[] { c.Lookat.X, c.Lookat.Y, c.Lookat.Z }, distance = c.Distance, azimuth = c.Azimuth, elevation = c.Elevation };
    }

    private static void Interactive(WindowRenderer renderer, Episode episode, StatusOverlay overlay)
    {
        var window = renderer.Window;
        var clock = new RealTimeClock(episode.Env.ControlTimestep);
        var paused = false;
        while (!window.ShouldClose)
        {
            window.PollEvents();
            while (window.TryTakeEvent(out var input)) Handle(input, renderer, episode, ref paused);
            for (int n = clock.StepsDue(paused); n > 0; n--) episode.Advance();
            overlay.Draw(renderer, episode, paused);
            window.SwapBuffers();
            clock.WaitForNextStep(paused);
        }
        // Where the user left off, as every robo command ends: one JSON line.
        JsonOutput.PrintLine(new
        {
            task = episode.Env.Task.Name, episode = episode.Number + 1, seed = episode.Seed, step = episode.Step, paused,
            contacts = renderer.Scene.ContactsVisible, camera = CameraJson(renderer.Scene),
        });
    }

    private static void Handle(InputEvent input, WindowRenderer renderer, Episode episode, ref bool paused)
    {
        var scene = renderer.Scene;
        var data = episode.Env.Physics.Data;
        switch (input.Kind)
        {
            case InputKind.KeyPress:
                switch (input.Key)
                {
                    case ViewerKey.Space: paused = !paused; break;
                    case ViewerKey.RightArrow when paused: episode.Advance(); break;
                    case ViewerKey.Backspace: episode.Restart(); break;
                    case ViewerKey.C: scene.ContactsVisible = !scene.ContactsVisible; break;
                    case ViewerKey.Escape: renderer.Window.Close(); break;
                }
                break;
            case InputKind.Drag:
                var motion = input.Button switch
                {
                    MouseButton.Left => input.Shift ? CameraMotion.RotateHorizontal : CameraMotion.RotateVertical,
                    MouseButton.Right => input.Shift ? CameraMotion.MoveHorizontal : CameraMotion.MoveVertical,
                    _ => CameraMotion.Zoom,
                };
                scene.MoveCamera(motion, input.Dx, input.Dy, data);
                break;
            case InputKind.Scroll:
                // As in MuJoCo's own samples: a notch is a 5 %-of-height drag; turning the wheel away from you zooms out.
                scene.MoveCamera(CameraMotion.Zoom, 0, -0.05 * input.Dy, data);
                break;
        }
    }

    /// <summary>
    /// Paces env steps to the wall clock: the steps owed since the last frame are taken before drawing it. When
    /// drawing is slower than real time, a frame takes at most <see cref="MaxStepsPerFrame"/> steps and the rest is
    /// dropped, so the simulation slows down instead of falling ever further behind.
    /// </summary>
    private sealed class RealTimeClock(double stepSeconds)
    {
        private const int MaxStepsPerFrame = 8;
        private const double IdleFrameSeconds = 1.0 / 60; // how often a paused viewer redraws and polls input

        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private double _last;
        private double _owed; // wall time not yet simulated, in seconds

        public int StepsDue(bool paused)
        {
            var now = _watch.Elapsed.TotalSeconds;
            if (!paused) _owed += now - _last;
            _last = now;
            var due = (int)Math.Floor(_owed / stepSeconds);
            if (due > MaxStepsPerFrame)
            {
                _owed = 0;
                return MaxStepsPerFrame;
            }
            _owed -= due * stepSeconds;
            return due;
        }

        /// <summary>Sleeps until the next step is due (or a redraw while paused), so an unsynced display does not spin.</summary>
        public void WaitForNextStep(bool paused)
        {
            var elapsed = _watch.Elapsed.TotalSeconds - _last;
            var wait = (paused ? IdleFrameSeconds : stepSeconds - _owed) - elapsed;
            if (wait > 0.001) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(wait, IdleFrameSeconds)));
        }
    }
}
