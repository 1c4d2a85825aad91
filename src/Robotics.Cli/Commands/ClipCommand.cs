using System.CommandLine;
using Robotics.Core.Images;
using Robotics.Rewards.Vision.Clip;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo clip embed --model DIR --image x.png --text "…"`: checks a downloaded Hugging Face CLIP directory by embedding
/// images and texts and printing their similarities (CLIP's logits and the softmax over texts per image), so a user can
/// see that "a photo of a robot arm" wins on a robot frame before training with it. `robo clip bench`: CLIP reward
/// throughput (<see cref="ClipBenchmark"/>).
/// </summary>
public static class ClipCommand
{
    public static Command Create()
    {
        var command = new Command("clip", "CLIP models: check a downloaded model, measure reward throughput");
        command.Subcommands.Add(Embed());
        command.Subcommands.Add(ClipBenchmark.Create("bench"));
        return command;
    }

    private static Command Embed()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Hugging Face CLIP directory (config.json, model.safetensors, vocab.json, merges.txt)", Required = true };
        var images = new Option<FileInfo[]>("--image") { Description = "PNG image(s) to embed", AllowMultipleArgumentsPerToken = true };
        var texts = new Option<string[]>("--text") { Description = "text(s) to embed", AllowMultipleArgumentsPerToken = true };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var command = new Command("embed", "embed images and texts with a CLIP checkpoint and print their similarities") { model, images, texts, device };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(images) ?? [];
            var prompts = parse.GetValue(texts) ?? [];
            if (files.Length == 0 && prompts.Length == 0) throw new ArgumentException("give at least one --image or --text");
            using var clip = ClipEmbedder.Load(parse.GetValue(model)!.FullName, ParseDevice(parse.GetValue(device)!));
            var config = clip.Model.Config;
            Console.WriteLine($"CLIP: ViT {config.Vision.Tower.Layers}×{config.Vision.Tower.HiddenSize}, patch {config.Vision.PatchSize}, image {config.Vision.ImageSize}; " +
                              $"text {config.Text.Tower.Layers}×{config.Text.Tower.HiddenSize}; shared space {config.ProjectionDim}; exp(logit_scale) {clip.Model.Temperature:F2}");
            using var scope = NewDisposeScope();
            var frames = files.Select(f => Png.Read(f.FullName)).ToArray();
            var imageEmbeddings = frames.Length > 0 ? clip.EmbedImages(frames) : null;
            var textEmbeddings = prompts.Length > 0 ? clip.EmbedTexts(prompts) : null;
            foreach (var (text, i) in prompts.Select((t, i) => (t, i)))
                Console.WriteLine($"text  '{text}': tokens [{string.Join(", ", clip.Tokenizer.Encode(text))}]");
            double[][]? logits = null, probabilities = null;
            if (imageEmbeddings is not null && textEmbeddings is not null)
            {
                var scaled = imageEmbeddings.matmul(textEmbeddings.t()) * clip.Model.Temperature;
                logits = Rows(scaled);
                probabilities = Rows(scaled.softmax(1));
                for (int i = 0; i < frames.Length; i++)
                    Console.WriteLine($"image {files[i].Name}: " + string.Join(", ", prompts.Select((t, j) => $"'{t}' {probabilities[i][j]:P1}")));
            }
            JsonOutput.PrintLine(new
            {
                model = parse.GetValue(model)!.FullName,
                projection_dim = config.ProjectionDim,
                images = files.Select(f => f.Name).ToArray(),
                texts = prompts,
                image_embeddings = imageEmbeddings is null ? null : Rows(imageEmbeddings),
                text_embeddings = textEmbeddings is null ? null : Rows(textEmbeddings),
                logits_per_image = logits,
                probabilities = probabilities,
            });
            return 0;
        });
        return command;
    }

    private static double[][] Rows(Tensor t)
    {
        var values = t.to(ScalarType.Float64).cpu().contiguous().ToArray<double>();
        int cols = (int)t.size(1);
        return Enumerable.Range(0, (int)t.size(0)).Select(i => values.AsSpan(i * cols, cols).ToArray().Select(v => Math.Round(v, 6)).ToArray()).ToArray();
    }

    public static Device ParseDevice(string name) => name switch
    {
        "cpu" => Robotics.Torch.Device.CPU,
        "cuda" when cuda.is_available() => torch.device(DeviceType.CUDA, 0),
        "cuda" => throw new ArgumentException("device 'cuda' was asked for, but libtorch sees no CUDA device"),
        _ => throw new ArgumentException($"unknown device '{name}'; use cpu or cuda"),
    };
}
