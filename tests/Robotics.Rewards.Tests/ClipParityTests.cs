using System.Text.Json;
using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Rewards.Vision.Clip;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Tests;

/// <summary>
/// Numeric parity with Hugging Face transformers: a small random CLIPModel saved by Python, with the token ids, pixel
/// values and features transformers computed for it (src/Robotics.Rewards/Vision/Clip/Parity/make_reference.py). Runs
/// when the fixture exists in tests/Robotics.Rewards.Tests/ClipParity or $ROBO_CLIP_PARITY_DIR; it needs Python with
/// torch and transformers to make, which the development machines lack, so it is ignored until someone makes it.
/// </summary>
public class ClipParityTests
{
    private static string? FixtureDirectory()
    {
        var env = Environment.GetEnvironmentVariable("ROBO_CLIP_PARITY_DIR");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Robotics.sln")))
                return Path.Combine(dir.FullName, "tests", "Robotics.Rewards.Tests", "ClipParity");
        return null;
    }

    /// <summary>The synthetic image make_reference.py draws (the same formula as ClipImageTests' pattern).</summary>
    private static RgbImage Pattern(int w, int h)
    {
        var p = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    p[(y * w + x) * 3 + c] = (byte)((x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256);
        return RgbImage.Create(w, h, p);
    }

    [Test]
    public void EmbeddingsMatchTransformers()
    {
        var dir = FixtureDirectory();
        if (dir is null || !File.Exists(Path.Combine(dir, "reference.json")))
            Assert.Ignore("no transformers reference fixture: run src/Robotics.Rewards/Vision/Clip/Parity/make_reference.py where torch and transformers are installed");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir!, "reference.json")));
        var r = doc.RootElement;
        using var clip = ClipEmbedder.Load(dir!);
        var texts = r.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var ids = r.GetProperty("input_ids").EnumerateArray().Select(a => a.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToArray();
        for (int i = 0; i < texts.Length; i++)
            Assert.That(clip.Tokenizer.Encode(texts[i]), Is.EqualTo(ids[i]), $"token ids of '{texts[i]}'");

        var frames = r.GetProperty("image_sizes").EnumerateArray().Select(s => Pattern(s[0].GetInt32(), s[1].GetInt32())).ToArray();
        using var scope = NewDisposeScope();
        var pixels = clip.Processor.Process(frames).ToArray<float>();
        var expectedPixels = r.GetProperty("pixel_values").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.That(pixels, Is.EqualTo(expectedPixels).Within(1e-5), "CLIPImageProcessor's pixel values");

        using var _ = no_grad();
        var text = clip.Model.GetTextFeatures(ids);
        var image = clip.Model.GetImageFeatures(clip.Processor.Process(frames));
        float[] Flat(string key) => r.GetProperty(key).EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.That(text.ToArray<float>(), Is.EqualTo(Flat("text_features")).Within(1e-4), "get_text_features");
        Assert.That(image.ToArray<float>(), Is.EqualTo(Flat("image_features")).Within(1e-4), "get_image_features");
        Assert.That(clip.Model.LogitsPerImage(image, text).ToArray<float>(), Is.EqualTo(Flat("logits_per_image")).Within(1e-3), "logits_per_image");
    }
}
