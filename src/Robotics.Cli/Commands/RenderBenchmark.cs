using System.CommandLine;
using System.Diagnostics;
using Robotics.MuJoCo;
using Robotics.MuJoCo.Rendering;

namespace Robotics.Cli.Commands;

/// <summary>Headless frames per second for one model and camera (shadows, reflections and skybox off unless --full).</summary>
public static class RenderBenchmark
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "MJCF model file" };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => 224 };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => 224 };
        var frames = new Option<int>("--frames") { Description = "timed frames", DefaultValueFactory = _ => 500 };
        var camera = new Option<string?>("--camera") { Description = "named camera (default: the free camera)" };
        var full = new Option<bool>("--full") { Description = "keep shadows, reflections and skybox on" };
        var command = new Command("render", "rendered frames per second") { model, width, height, frames, camera, full };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(frames), w = parse.GetValue(width), h = parse.GetValue(height);
            if (n <= 0) throw new ArgumentException($"--frames must be positive, got {n}");
            using var m = MjModel.FromXmlFile(parse.GetValue(model)!.FullName);
            using var d = new MjData(m);
            d.Forward();
            using var renderer = new OffscreenRenderer(m, w, h);
            renderer.Options = parse.GetValue(full) ? RenderOptions.Default : RenderOptions.Fast;
            var cam = parse.GetValue(camera) is { } name ? RenderCamera.Named(name) : RenderCamera.Default;
            var rgb = new byte[w * h * 3];
            for (int i = 0; i < 20; i++) renderer.Render(d, cam, rgb, default); // shader compilation, caches
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) renderer.Render(d, cam, rgb, default);
            double fps = n / clock.Elapsed.TotalSeconds;
            JsonOutput.PrintLine(new { model = m.Name, width = w, height = h, frames = n, backend = renderer.Backend.ToString(), frames_per_sec = Math.Round(fps, 1) });
            return 0;
        });
        return command;
    }
}
