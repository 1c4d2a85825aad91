using System.CommandLine;
using Robotics.Agents;
using Robotics.Agents.Evaluation;
using Robotics.Cli.Experiments;
using Robotics.Core.Images;
using Robotics.Core.Video;
using Robotics.Core.Wrappers;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;
using Robotics.MuJoCo.Rendering;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo render MODEL.xml --out frame.png`: one headless frame of a model's initial (or keyframe) state.
/// `robo render --task T --policy expert|CHECKPOINT --episodes N --out rollout.mp4`: a video of policy rollouts.
/// </summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo?>("model") { Description = "MJCF model file (or use --task)", Arity = ArgumentArity.ZeroOrOne };
        var task = new Option<string?>("--task") { Description = "record rollouts of this task instead of rendering a model" };
        var policy = new Option<string>("--policy") { Description = "expert, or a checkpoint file", DefaultValueFactory = _ => "expert" };
        var episodes = new Option<int>("--episodes") { Description = "episodes to record", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "seed of the first episode", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write", Required = true };
        var width = new Option<int>("--width") { Description = "image width in pixels", DefaultValueFactory = _ => 640 };
        var height = new Option<int>("--height") { Description = "image height in pixels", DefaultValueFactory = _ => 480 };
        var camera = new Option<string?>("--camera") { Description = "named camera (default: the free camera)" };
        var keyframe = new Option<string?>("--keyframe") { Description = "reset to this keyframe before rendering" };
        var steps = new Option<int>("--steps") { Description = "physics steps before the frame", DefaultValueFactory = _ => 0 };
        var fast = new Option<bool>("--fast") { Description = "switch off shadows, reflections and skybox" };
        var command = new Command("render", "render a model to a PNG, or record rollouts of a policy or the scripted expert")
            { model, output, width, height, camera, keyframe, steps, fast, task, policy, episodes, seed };
        command.SetAction(parse =>
        {
            if (parse.GetValue(task) is { } taskName)
                return RecordRollouts(taskName, parse.GetValue(policy)!, parse.GetValue(episodes), parse.GetValue(seed),
                                      parse.GetValue(output)!.FullName, parse.GetValue(camera), parse.GetValue(width), parse.GetValue(height));
            var modelFile = parse.GetValue(model) ?? throw new ArgumentException("give a model file, or --task to record rollouts");
            using var m = MjModel.FromXmlFile(modelFile.FullName);
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

    private static int RecordRollouts(string taskName, string policyName, int episodes, int seed, string path, string? camera, int width, int height)
    {
        if (episodes < 1) throw new ArgumentException($"--episodes must be at least 1, got {episodes}");
        var options = FrankaEnvOptions.Default with { RenderWidth = width, RenderHeight = height, Camera = camera ?? FrankaEnvOptions.Default.Camera };
        var frankaEnv = new FrankaEnv(FrankaSuite.CreateTask(taskName), options);
        using var env = new TimeLimit(frankaEnv, options.MaxEpisodeSteps);
        using var loaded = policyName == "expert" ? null : PolicyLoader.Load(policyName);
        IPolicy actor = loaded?.Policy ?? new ExpertPolicy(frankaEnv);
        if (actor.ObservationSize != env.ObservationSpace.Dimension || actor.ActionSize != env.ActionSpace.Dimension)
            throw new InvalidDataException($"the policy takes {actor.ObservationSize} observations and gives {actor.ActionSize} actions; task {taskName} has {env.ObservationSpace.Dimension} and {env.ActionSpace.Dimension}");
        var results = new List<EpisodeOutcome>();
        using (var video = new VideoWriter(path, width, height))
            for (int e = 0; e < episodes; e++) // every episode is filmed, one after another
                results.AddRange(Evaluator.Evaluate(env, actor, 1, seed + e, recordFrame: video.WriteFrame).Episodes);
        JsonOutput.PrintLine(new
        {
            path, task = taskName, policy = policyName, episodes, camera = options.Camera,
            success_rate = results.Count(r => r.Success) / (double)episodes, mean_return = results.Average(r => r.Return),
        });
        return 0;
    }
}
