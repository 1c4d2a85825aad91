using System.Text.Json;
using Robotics.Core.Images;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// CLIP's image preprocessing as transformers' CLIPImageProcessor does it: bicubic resize (Pillow's, see
/// <see cref="PilBicubic"/>) so the shorter side is <see cref="ShortestEdge"/> (the longer one scaled and truncated to
/// an integer), a centre crop of <see cref="CropHeight"/>×<see cref="CropWidth"/> (offsets rounded down), scaling to
/// [0, 1], and standardising each channel with CLIP's mean and std, in float32 as NumPy does it there.
/// </summary>
public sealed record ClipImageProcessor
{
    /// <summary>OpenAI's statistics of their training images (RGB), the values every CLIP preprocessor_config.json carries.</summary>
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public int ShortestEdge { get; init; } = 224;
    public int CropHeight { get; init; } = 224;
    public int CropWidth { get; init; } = 224;
    public bool DoResize { get; init; } = true;
    public bool DoCenterCrop { get; init; } = true;
    public bool DoNormalize { get; init; } = true;
    public double RescaleFactor { get; init; } = 1 / 255.0;
    public float[] Mean { get; init; } = ClipMean;
    public float[] Std { get; init; } = ClipStd;

    /// <summary>The processor for a model whose ViT takes <paramref name="imageSize"/>² images (what a checkpoint without preprocessor_config.json gets).</summary>
    public static ClipImageProcessor ForImageSize(int imageSize) => new() { ShortestEdge = imageSize, CropHeight = imageSize, CropWidth = imageSize };

    /// <summary>Reads a preprocessor_config.json; keys it leaves out keep the defaults for <paramref name="imageSize"/>.</summary>
    public static ClipImageProcessor FromJson(string json, int imageSize, string source = "preprocessor_config.json")
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var p = ForImageSize(imageSize);
        if (root.TryGetProperty("resample", out var resample) && resample.ValueKind == JsonValueKind.Number && resample.GetInt32() != 3)
            throw new InvalidDataException($"{source}: resample is {resample.GetInt32()}, but only bicubic (3), CLIP's, is implemented");
        if (root.TryGetProperty("size", out var size))
        {
            int? edge = size.ValueKind == JsonValueKind.Number ? size.GetInt32()
                : size.ValueKind == JsonValueKind.Object && size.TryGetProperty("shortest_edge", out var se) ? se.GetInt32() : null;
            if (edge is null) throw new InvalidDataException($"{source}: 'size' must be a number or {{\"shortest_edge\": n}} (CLIP resizes the shorter side)");
            p = p with { ShortestEdge = edge.Value };
        }
        if (root.TryGetProperty("crop_size", out var crop))
        {
            p = crop.ValueKind == JsonValueKind.Number
                ? p with { CropHeight = crop.GetInt32(), CropWidth = crop.GetInt32() }
                : p with { CropHeight = crop.GetProperty("height").GetInt32(), CropWidth = crop.GetProperty("width").GetInt32() };
        }
        bool Flag(string key, bool fallback) => root.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
        float[] Floats(string key, float[] fallback) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(e => e.GetSingle()).ToArray() : fallback;
        p = p with
        {
            DoResize = Flag("do_resize", true), DoCenterCrop = Flag("do_center_crop", true), DoNormalize = Flag("do_normalize", true),
            RescaleFactor = root.TryGetProperty("rescale_factor", out var rf) && rf.ValueKind == JsonValueKind.Number ? rf.GetDouble() : p.RescaleFactor,
            Mean = Floats("image_mean", p.Mean), Std = Floats("image_std", p.Std),
        };
        if (p.Mean.Length != 3 || p.Std.Length != 3 || p.Std.Any(s => !(s > 0)))
            throw new InvalidDataException($"{source}: image_mean and image_std need 3 entries each, std positive");
        return p;
    }

    /// <summary>The size the shorter side is resized to: transformers' get_resize_output_image_size(default_to_square=False).</summary>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (!DoResize) return (width, height);
        int shortSide = Math.Min(width, height), longSide = Math.Max(width, height);
        int newLong = (int)((long)ShortestEdge * longSide / shortSide); // int(size * long / short) truncates
        return width <= height ? (ShortestEdge, newLong) : (newLong, ShortestEdge);
    }

    /// <summary>Resize and centre crop, still 8-bit: what the model sees, as a picture.</summary>
    public RgbImage Prepare(RgbImage image)
    {
        var (w, h) = ResizedSize(image.Width, image.Height);
        var resized = DoResize ? PilBicubic.Resize(image, w, h) : image;
        if (!DoCenterCrop) return resized;
        if (resized.Width < CropWidth || resized.Height < CropHeight)
            throw new ArgumentException($"a {resized.Width}x{resized.Height} image (after resizing) is smaller than the {CropWidth}x{CropHeight} crop");
        int top = (resized.Height - CropHeight) / 2, left = (resized.Width - CropWidth) / 2;
        if (top == 0 && left == 0 && resized.Width == CropWidth && resized.Height == CropHeight) return resized;
        var pixels = new byte[CropWidth * CropHeight * 3];
        for (int y = 0; y < CropHeight; y++)
            Array.Copy(resized.Pixels, ((top + y) * resized.Width + left) * 3, pixels, y * CropWidth * 3, CropWidth * 3);
        return new RgbImage(CropWidth, CropHeight, pixels);
    }

    /// <summary>Pixel values [images, 3, H, W] (float32, CPU) for the vision tower.</summary>
    public Tensor Process(IReadOnlyList<RgbImage> images)
    {
        if (images.Count == 0) throw new ArgumentException("no images to preprocess");
        var prepared = images.Select(Prepare).ToArray();
        int h = prepared[0].Height, w = prepared[0].Width, plane = h * w;
        if (prepared.Any(p => p.Width != w || p.Height != h))
            throw new ArgumentException("images of different shapes after preprocessing cannot share a batch (turn the centre crop on)");
        var values = new float[prepared.Length * 3 * plane];
        // Channel-first per image; the mean and std are applied in float32, as NumPy does with CLIP's float32 arrays.
        var scale = new float[256];
        for (int v = 0; v < 256; v++) scale[v] = (float)(v * RescaleFactor);
        Parallel.For(0, prepared.Length, i =>
        {
            var pixels = prepared[i].Pixels;
            int offset = i * 3 * plane;
            for (int c = 0; c < 3; c++)
            {
                float mean = DoNormalize ? Mean[c] : 0f, std = DoNormalize ? Std[c] : 1f;
                int o = offset + c * plane;
                for (int p = 0; p < plane; p++) values[o + p] = (scale[pixels[p * 3 + c]] - mean) / std;
            }
        });
        return tensor(values, [prepared.Length, 3, h, w]);
    }
}
