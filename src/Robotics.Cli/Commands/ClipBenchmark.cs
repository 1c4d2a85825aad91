using System.CommandLine;
using System.Diagnostics;
using Robotics.Core.Images;
using Robotics.Rewards.Vision.Clip;
using Robotics.Rewards.Vision.VlmRm;
using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo clip bench --batch 64 --size 224` (also `robo bench clip`): end-to-end CLIP reward throughput, the VLM-RM
/// per-frame cost: preprocess (Pillow-exact bicubic resize of size² frames, crop, normalise), encode with a randomly
/// initialised ViT-B/32-sized model (12 layers × 768, patch 32, 224², projection 512), and score with the goal
/// projection (prompt embeddings are cached in a run, so they are not timed). After one warm-up batch, whole batches
/// run for --seconds; the last line is JSON with frames_per_sec.
/// </summary>
public static class ClipBenchmark
{
    /// <param name="name">"clip" under `robo bench`, "bench" under `robo clip`</param>
    public static Command Create(string name = "clip")
    {
        var batch = new Option<int>("--batch") { Description = "frames per CLIP forward pass", DefaultValueFactory = _ => 64 };
        var size = new Option<int>("--size") { Description = "rendered frame width and height (resized to the model's 224)", DefaultValueFactory = _ => 224 };
        var seconds = new Option<double>("--seconds") { Description = "how long to time whole batches", DefaultValueFactory = _ => 10 };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads (0 = the shim's default)", DefaultValueFactory = _ => 0 };
        var command = new Command(name, "CLIP reward throughput: preprocess, ViT-B/32 encode, score") { batch, size, seconds, device, threads };
        command.SetAction(parse =>
        {
            int b = parse.GetValue(batch), s = parse.GetValue(size), t = parse.GetValue(threads);
            double budget = parse.GetValue(seconds);
            if (b <= 0 || s <= 0) throw new ArgumentException($"--batch and --size must be positive, got {b} and {s}");
            if (t > 0) set_num_threads(t);
            var dev = ClipCommand.ParseDevice(parse.GetValue(device)!);
            var result = Run(new ClipConfig(), b, s, budget, dev);
            JsonOutput.PrintLine(new
            {
                model = "ViT-B/32 (random weights)", device = parse.GetValue(device), batch = b, size = s, threads = get_num_threads(),
                batches = result.Batches, frames = result.Frames, seconds = Math.Round(result.Seconds, 3),
                frames_per_sec = Math.Round(result.Frames / result.Seconds, 2),
                preprocess_ms_per_frame = Math.Round(result.PreprocessSeconds * 1000 / result.Frames, 3),
            });
            return 0;
        });
        return command;
    }

    public sealed record Result(int Batches, int Frames, double Seconds, double PreprocessSeconds);

    public static Result Run(ClipConfig config, int batchSize, int size, double seconds, Device device)
    {
        manual_seed(0);
        using var model = new ClipModel(config);
        model.eval();
        model.to(device);
        var processor = ClipImageProcessor.ForImageSize(config.Vision.ImageSize);
        var rng = new Random(0);
        var frames = Enumerable.Range(0, batchSize).Select(_ =>
        {
            var p = new byte[size * size * 3];
            rng.NextBytes(p);
            return RgbImage.Create(size, size, p);
        }).ToArray();
        using var goals = F.normalize(randn(1, config.ProjectionDim), dim: -1);
        using var baselines = F.normalize(randn(1, config.ProjectionDim), dim: -1);
        using var projection = new GoalProjection(goals, baselines, 0.5);

        double preprocess = 0;
        float Batch()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var clock = Stopwatch.StartNew();
            var pixels = processor.Process(frames);
            preprocess += clock.Elapsed.TotalSeconds;
            var x = F.normalize(model.GetImageFeatures(pixels), dim: -1).cpu();
            return projection.Reward(x).sum().item<float>(); // reading the rewards back synchronises a GPU
        }
        Batch();
        preprocess = 0;
        int batches = 0;
        var timer = Stopwatch.StartNew();
        do
        {
            Batch();
            batches++;
        } while (timer.Elapsed.TotalSeconds < seconds);
        return new Result(batches, batches * batchSize, timer.Elapsed.TotalSeconds, preprocess);
    }
}
