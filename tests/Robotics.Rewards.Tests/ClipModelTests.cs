using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Rewards.Vision.Clip;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Tests;

/// <summary>
/// CLIP loaded from a Hugging Face-format directory of random weights: parameter names, shapes, a from-the-formulas
/// reference forward pass computed from the raw safetensors, and the properties embeddings must have.
/// Numeric parity with Python's transformers needs a machine with it installed; see the report in docs.
/// </summary>
public class ClipModelTests
{
    private string _dir = null!;
    private ClipEmbedder _clip = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _dir = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig());
        _clip = ClipEmbedder.Load(_dir, batchSize: 3);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _clip.Dispose();
        Directory.Delete(_dir, true);
    }

    private static RgbImage Frame(int seed, int w = 40, int h = 32)
    {
        var rng = new Random(seed);
        var p = new byte[w * h * 3];
        rng.NextBytes(p);
        return RgbImage.Create(w, h, p);
    }

    [Test]
    public void CheckpointUsesTransformersParameterNames()
    {
        var (tensors, metadata) = SafeTensors.Load(Path.Combine(_dir, "model.safetensors"));
        try
        {
            var expected = new Dictionary<string, long[]>
            {
                ["logit_scale"] = [],
                ["visual_projection.weight"] = [16, 32],
                ["text_projection.weight"] = [16, 32],
                ["vision_model.embeddings.class_embedding"] = [32],
                ["vision_model.embeddings.patch_embedding.weight"] = [32, 3, 8, 8],
                ["vision_model.embeddings.position_embedding.weight"] = [17, 32],
                ["vision_model.pre_layrnorm.weight"] = [32],
                ["vision_model.post_layernorm.bias"] = [32],
                ["vision_model.encoder.layers.1.self_attn.q_proj.weight"] = [32, 32],
                ["vision_model.encoder.layers.0.self_attn.out_proj.bias"] = [32],
                ["vision_model.encoder.layers.0.layer_norm1.weight"] = [32],
                ["vision_model.encoder.layers.0.mlp.fc1.weight"] = [64, 32],
                ["vision_model.encoder.layers.1.mlp.fc2.bias"] = [32],
                ["text_model.embeddings.token_embedding.weight"] = [ClipFixtures.VocabSize, 32],
                ["text_model.embeddings.position_embedding.weight"] = [77, 32],
                ["text_model.encoder.layers.1.self_attn.k_proj.bias"] = [32],
                ["text_model.encoder.layers.0.layer_norm2.bias"] = [32],
                ["text_model.final_layer_norm.weight"] = [32],
            };
            foreach (var (name, shape) in expected)
            {
                Assert.That(tensors.ContainsKey(name), Is.True, name);
                Assert.That(tensors[name].shape, Is.EqualTo(shape), name);
            }
            // Vision: 3 embedding tensors, pre-LN, 16 per block × 2, post-LN; text: 2 embeddings, 16 × 2, final LN; 2 projections and the scale.
            Assert.That(tensors.Count, Is.EqualTo((3 + 2 + 2 * 16 + 2) + (2 + 2 * 16 + 2) + 3));
            Assert.That(metadata["format"], Is.EqualTo("pt"));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Test]
    public void EmbeddingsAreUnitLengthWithTheProjectionWidth()
    {
        using var images = _clip.EmbedImages([Frame(1), Frame(2)]);
        using var texts = _clip.EmbedTexts(["a photo of a cat", "a robot"]);
        Assert.That(images.shape, Is.EqualTo(new long[] { 2, 16 }));
        Assert.That(texts.shape, Is.EqualTo(new long[] { 2, 16 }));
        using var imageNorms = images.norm(2, 1);
        using var textNorms = texts.norm(2, 1);
        Assert.That(imageNorms.ToArray<float>(), Has.All.EqualTo(1f).Within(1e-5));
        Assert.That(textNorms.ToArray<float>(), Has.All.EqualTo(1f).Within(1e-5));
        using var gap = (images[0] - images[1]).abs().max();
        Assert.That(gap.item<float>(), Is.GreaterThan(1e-3), "different frames must embed differently");
    }

    [Test]
    public void VisionTowerMatchesTheFormulasOnTheRawWeights()
    {
        var frames = new[] { Frame(3, 32, 32), Frame(4, 32, 32) };
        using var scope = NewDisposeScope();
        var w = SafeTensors.Load(Path.Combine(_dir, "model.safetensors")).tensors;
        var pixels = _clip.Processor.Process(frames);
        using var _ = no_grad();

        // Patches as rows of 3·8·8 values in (channel, y, x) order, times the conv kernel flattened the same way.
        var patches = pixels.unfold6(8).reshape(2, 3, 4, 4, 8, 8).permute(0, 2, 3, 1, 4, 5).reshape(2, 16, 192);
        var x = patches.matmul(w["vision_model.embeddings.patch_embedding.weight"].reshape(32, 192).t());
        x = cat([w["vision_model.embeddings.class_embedding"].view(1, 1, 32).expand(2, 1, 32), x], 1) + w["vision_model.embeddings.position_embedding.weight"];
        x = ReferenceLayerNorm(x, w, "vision_model.pre_layrnorm");
        for (int i = 0; i < 2; i++) x = ReferenceBlock(x, w, $"vision_model.encoder.layers.{i}", causal: false);
        var pooled = ReferenceLayerNorm(x.select(1, 0), w, "vision_model.post_layernorm");
        var expected = F.normalize(pooled.matmul(w["visual_projection.weight"].t()), dim: -1);

        var actual = _clip.EmbedImages(frames);
        Assert.That(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), Is.True, $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Test]
    public void TextTowerMatchesTheFormulasAndPoolsAtTheEndToken()
    {
        using var scope = NewDisposeScope();
        var w = SafeTensors.Load(Path.Combine(_dir, "model.safetensors")).tensors;
        var ids = _clip.Tokenizer.Encode("a photo of a cat");
        using var _ = no_grad();
        var x = w["text_model.embeddings.token_embedding.weight"].index_select(0, tensor(ids.Select(i => (long)i).ToArray()))
                + w["text_model.embeddings.position_embedding.weight"].narrow(0, 0, ids.Length);
        x = x.unsqueeze(0);
        for (int i = 0; i < 2; i++) x = ReferenceBlock(x, w, $"text_model.encoder.layers.{i}", causal: true);
        x = ReferenceLayerNorm(x, w, "text_model.final_layer_norm");
        var expected = F.normalize(x.select(1, ids.Length - 1).matmul(w["text_projection.weight"].t()), dim: -1);

        var actual = _clip.EmbedTexts(["a photo of a cat"]);
        Assert.That(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), Is.True, $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Test]
    public void TokensAfterTheEndTokenDoNotMatterButTheEndPositionDoes()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int a = ClipFixtures.VocabList().IndexOf("a</w>"), cat = ClipFixtures.VocabList().IndexOf("cat</w>");
        int s = ClipFixtures.StartId, e = ClipFixtures.EndId;
        var model = _clip.Model;
        var plain = model.GetTextFeatures([[s, a, cat, e]]);
        var trailing = model.GetTextFeatures([[s, a, cat, e, cat, a, a]]);
        var batched = model.GetTextFeatures([[s, a, cat, e], [s, a, a, a, a, a, a, a, e]]);
        Assert.That(trailing.allclose(plain, 1e-5, 1e-6), Is.True, "the causal mask hides what follows the end token");
        Assert.That(batched[0].allclose(plain[0], 1e-5, 1e-6), Is.True, "padding to a longer text in the batch changes nothing");
        var earlier = model.GetTextFeatures([[s, a, e, cat]]);
        Assert.That(earlier.allclose(plain, 1e-3, 1e-3), Is.False, "pooling follows the end token's position");
    }

    [Test]
    public void LegacyEosIdPoolsAtTheHighestId()
    {
        // transformers' eos_token_id = 2 means "take the argmax id", which is the end token in CLIP's vocabulary order.
        var legacyDir = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(legacyEos: true));
        try
        {
            using var legacy = ClipEmbedder.Load(legacyDir);
            using var a = legacy.EmbedTexts(["a photo of a cat", "robot"]);
            using var b = _clip.EmbedTexts(["a photo of a cat", "robot"]);
            Assert.That(a.allclose(b, 1e-5, 1e-6), Is.True);
        }
        finally
        {
            Directory.Delete(legacyDir, true);
        }
    }

    [Test]
    public void LogitsAreTheScaledCosines()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var model = _clip.Model;
        Assert.That(model.Temperature, Is.EqualTo(50).Within(1e-3), "exp(logit_scale) with logit_scale = ln 50 as saved");
        var pixels = _clip.Processor.Process([Frame(5), Frame(6)]);
        var image = model.GetImageFeatures(pixels);
        var text = model.GetTextFeatures(_clip.Tokenizer.Encode(["a cat", "a robot", "hello"]));
        var logits = model.LogitsPerImage(image, text);
        Assert.That(logits.shape, Is.EqualTo(new long[] { 2, 3 }));
        var cosine = F.cosine_similarity(image[1].unsqueeze(0), text[2].unsqueeze(0), 1).item<float>();
        Assert.That(logits[1, 2].item<float>(), Is.EqualTo(50 * cosine).Within(1e-3));
    }

    [Test]
    public void BatchesGiveWhatSingleFramesGiveAndRunsRepeat()
    {
        var frames = Enumerable.Range(10, 7).Select(i => Frame(i)).ToArray(); // 7 frames in batches of 3: 3 + 3 + 1
        using var all = _clip.EmbedImages(frames);
        for (int i = 0; i < frames.Length; i++)
        {
            using var one = _clip.EmbedImages([frames[i]]);
            using var row = all[i].unsqueeze(0);
            Assert.That(one.allclose(row, 1e-5, 1e-6), Is.True, $"frame {i}");
        }
        using var again = _clip.EmbedImages(frames);
        Assert.That(again.equal(all), Is.True, "same input, same numbers");
    }

    [Test]
    public void GeluConfigsUseExactGelu()
    {
        var dir = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(activation: "gelu"));
        try
        {
            using var gelu = ClipEmbedder.Load(dir);
            using var quick = _clip.EmbedTexts(["a robot"]);
            using var exact = gelu.EmbedTexts(["a robot"]);
            Assert.That(gelu.Model.Config.Text.Tower.Activation, Is.EqualTo("gelu"));
            Assert.That(exact.allclose(quick, 1e-4, 1e-5), Is.False, "same weights (same seed), other activation");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void BrokenDirectoriesAreExplained()
    {
        var dir = Directory.CreateTempSubdirectory("robo-clip-broken-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => ClipEmbedder.Load(dir))!;
            Assert.That(e.Message, Does.Contain("config.json"));
            var config = ClipFixtures.TinyConfig();
            File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJson());
            Assert.That(Assert.Throws<FileNotFoundException>(() => ClipEmbedder.Load(dir))!.Message, Does.Contain("model.safetensors"));
            // Weights of another width than config.json says.
            File.Copy(Path.Combine(_dir, "model.safetensors"), Path.Combine(dir, "model.safetensors"));
            File.WriteAllText(Path.Combine(dir, "config.json"), (config with { ProjectionDim = 8 }).ToJson());
            var mismatch = Assert.Throws<InvalidDataException>(() => ClipEmbedder.Load(dir))!;
            Assert.That(mismatch.Message, Does.Contain("visual_projection.weight"));
            File.WriteAllText(Path.Combine(dir, "config.json"), """{"model_type": "clip", "text_config": {"hidden_size": 30, "num_attention_heads": 4}, "vision_config": {}}""");
            Assert.That(Assert.Throws<InvalidDataException>(() => ClipCheckpoint.ReadConfig(dir))!.Message, Does.Contain("not divisible"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void HalfPrecisionShardedCheckpointsWithPositionIdsLoad()
    {
        // What older or larger Hub checkpoints look like: F16 tensors, position_ids buffers, weights split over shards.
        var dir = Directory.CreateTempSubdirectory("robo-clip-shards-").FullName;
        try
        {
            foreach (var file in new[] { "config.json", "vocab.json", "merges.txt" }) File.Copy(Path.Combine(_dir, file), Path.Combine(dir, file));
            using var scope = NewDisposeScope();
            var (tensors, _) = SafeTensors.Load(Path.Combine(_dir, "model.safetensors"));
            var half = tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float16));
            half["text_model.embeddings.position_ids"] = arange(77, ScalarType.Int64).unsqueeze(0);
            half["vision_model.embeddings.position_ids"] = arange(17, ScalarType.Int64).unsqueeze(0);
            var names = half.Keys.Order(StringComparer.Ordinal).ToArray();
            var shards = new[] { names[..(names.Length / 2)], names[(names.Length / 2)..] };
            var map = new Dictionary<string, string>();
            for (int i = 0; i < 2; i++)
            {
                var shard = $"model-0000{i + 1}-of-00002.safetensors";
                SafeTensors.Save(Path.Combine(dir, shard), shards[i].ToDictionary(n => n, n => half[n]));
                foreach (var n in shards[i]) map[n] = shard;
            }
            File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), System.Text.Json.JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));

            using var loaded = ClipEmbedder.Load(dir);
            Assert.That(loaded.Model.logit_scale.dtype, Is.EqualTo(ScalarType.Float32), "weights are converted to float32");
            var frames = new[] { Frame(30), Frame(31) };
            var fromHalf = loaded.EmbedImages(frames);
            var fromFull = _clip.EmbedImages(frames);
            Assert.That(fromHalf.allclose(fromFull, 0, 0.05), Is.True, "half-precision weights, nearly the same embeddings");
            Assert.That(loaded.EmbedTexts(["a cat"]).allclose(_clip.EmbedTexts(["a cat"]), 0, 0.05), Is.True);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void ConfigDefaultsAreTransformers()
    {
        var config = ClipConfig.FromJson("""{"model_type": "clip", "text_config": {}, "vision_config": {}}""");
        Assert.That(config.Vision.Tower, Is.EqualTo(new ClipTowerConfig { HiddenSize = 768, IntermediateSize = 3072, Layers = 12, Heads = 12, Activation = "quick_gelu" }));
        Assert.That((config.Vision.ImageSize, config.Vision.PatchSize, config.Text.MaxPositions, config.ProjectionDim), Is.EqualTo((224, 32, 77, 512)));
        var roundTrip = ClipConfig.FromJson(ClipFixtures.TinyConfig().ToJson());
        Assert.That(roundTrip, Is.EqualTo(ClipFixtures.TinyConfig()));
    }

    // ---- the reference forward pass: transformers' CLIP written out in plain tensor algebra ----

    private static Tensor ReferenceLayerNorm(Tensor x, Dictionary<string, Tensor> w, string prefix)
    {
        var mean = x.mean(-1, keepdim: true);
        var variance = (x - mean).pow(2).mean(-1, keepdim: true);
        return (x - mean) / (variance + 1e-5).sqrt() * w[prefix + ".weight"] + w[prefix + ".bias"];
    }

    private static Tensor Linear(Tensor x, Dictionary<string, Tensor> w, string prefix) => x.matmul(w[prefix + ".weight"].t()) + w[prefix + ".bias"];

    private static Tensor ReferenceBlock(Tensor x, Dictionary<string, Tensor> w, string prefix, bool causal)
    {
        long b = x.size(0), l = x.size(1);
        var h = ReferenceLayerNorm(x, w, prefix + ".layer_norm1");
        Tensor Heads(string proj) => Linear(h, w, $"{prefix}.self_attn.{proj}").view(b, l, 4, 8).transpose(1, 2);
        var scores = Heads("q_proj").matmul(Heads("k_proj").transpose(-1, -2)) / Math.Sqrt(8);
        if (causal) scores = scores.masked_fill(ones([l, l], ScalarType.Bool).triu(1), double.NegativeInfinity);
        var attended = scores.softmax(-1).matmul(Heads("v_proj")).transpose(1, 2).reshape(b, l, 32);
        x = x + Linear(attended, w, prefix + ".self_attn.out_proj");
        var m = Linear(ReferenceLayerNorm(x, w, prefix + ".layer_norm2"), w, prefix + ".mlp.fc1");
        m = m * (1.702 * m).sigmoid(); // quick GELU
        return x + Linear(m, w, prefix + ".mlp.fc2");
    }
}

internal static class PatchExtensions
{
    /// <summary>[B, C, H, W] → [B, C, H/p, p, W/p, p] → [B, C, H/p, W/p, p, p] (non-overlapping patches, row-major).</summary>
    public static Tensor unfold6(this Tensor images, long p)
    {
        long b = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
        return images.reshape(b, c, h / p, p, w / p, p).permute(0, 1, 2, 4, 3, 5);
    }
}
