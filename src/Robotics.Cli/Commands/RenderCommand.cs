using System.CommandLine;
using Robotics.Core.Images;
using Robotics.MuJoCo;
using Robotics.MuJoCo.Rendering;

namespace Robotics.Cli.Commands;

/// <summary>`robo render MODEL.xml --out frame.png`: one headless frame of the model's initial (or keyframe) state.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "MJCF model file" };
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write", Required = true };
        var width = new Option<int>("--width") { Description = "image width in pixels", DefaultValueFactory = _ => 640 };
        var height = new Option<int>("--height") { Description = "image height in pixels", DefaultValueFactory = _ => 480 };
        var camera = new Option<string?>("--camera") { Description = "named camera (default: the free camera)" };
        var keyframe = new Option<string?>("--keyframe") { Description = "reset to this keyframe before rendering" };
        var steps = new Option<int>("--steps") { Description = "physics steps before the frame", DefaultValueFactory = _ => 0 };
        var fast = new Option<bool>("--fast") { Description = "switch off shadows, reflections and skybox" };
        var command = new Command("render", "render one frame of a model to a PNG file")
            { model, output, width, height, camera, keyframe, steps, fast };
        command.SetAction(parse =>
        {
            using var m = MjModel.FromXmlFile(parse.GetValue(model)!.FullName);
            using var d = new MjData(m);
            if (parse.GetValue(keyframe) is { } key) d.ResetKeyframe(key);
            d.Step(Math.Max(0, parse.GetValue(steps)));
            d.Forward();
            int w = parse.GetValue(width), h = parse.GetValue(height);
            using var renderer = new OffscreenRenderer(m, w, h);
            if (parse.GetValue(fast)) renderer.Options = RenderOptions.Fast;
            var cam = parse.GetValue(camera) is { } name ? RenderCamera.Named(name) : RenderCamera.Default;
            var image = RgbImage.Create(w, h, renderer.RenderRgb(d, cam));
            var path = parse.GetValue(output)!.FullName;
            Png.Write(path, image);
            JsonOutput.PrintLine(new { path, width = w, height = h, camera = cam.ToString(), backend = renderer.Backend.ToString() });
            return 0;
        });
        return command;
    }
}
