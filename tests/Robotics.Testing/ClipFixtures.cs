using System.Text;
using System.Text.Json;
using Robotics.Rewards.Vision.Clip;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Testing;

/// <summary>
/// A tiny CLIP made the way a real one is laid out: a vocabulary of the 256 byte symbols, the same with "&lt;/w&gt;",
/// then one entry per merge, then the two special tokens (OpenAI's order); and random weights written as
/// config.json + model.safetensors in transformers' format.
/// </summary>
public static class ClipFixtures
{
    /// <summary>Merges, highest priority first. Chosen so the tests' words merge in a known order.</summary>
    public static readonly (string, string)[] Merges =
    [
        ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o</w>"),
        ("p", "h"), ("o", "t"), ("ph", "ot"), ("phot", "o</w>"),
        ("a", "t</w>"), ("c", "at</w>"), ("o", "f</w>"),
        ("'", "t</w>"), ("r", "o"), ("ro", "b"), ("rob", "o"), ("robo", "t</w>"),
    ];

    public static List<string> VocabList()
    {
        var list = new List<string>();
        for (int b = 0; b < 256; b++) list.Add(ClipTokenizer.ByteChar((byte)b).ToString());
        for (int b = 0; b < 256; b++) list.Add(ClipTokenizer.ByteChar((byte)b) + "</w>");
        foreach (var (a, b) in Merges) list.Add(a + b);
        list.Add(ClipTokenizer.StartToken);
        list.Add(ClipTokenizer.EndToken);
        return list;
    }

    public static string VocabJson() => JsonSerializer.Serialize(VocabList().Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i));

    public static string MergesText()
    {
        var sb = new StringBuilder("#version: 0.2\n");
        foreach (var (a, b) in Merges) sb.Append(a).Append(' ').Append(b).Append('\n');
        return sb.ToString();
    }

    public static ClipTokenizer Tokenizer(int context = 77)
    {
        var dir = Directory.CreateTempSubdirectory("robo-clip-tok-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "vocab.json"), VocabJson());
            File.WriteAllText(Path.Combine(dir, "merges.txt"), MergesText());
            return ClipTokenizer.Load(Path.Combine(dir, "vocab.json"), Path.Combine(dir, "merges.txt"), context);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public static int VocabSize => 512 + Merges.Length + 2;
    public static int EndId => VocabSize - 1;
    public static int StartId => VocabSize - 2;

    /// <summary>Two layers a tower, 32 wide, 32-pixel images in 8-pixel patches, a 16-dimensional shared space.</summary>
    public static ClipConfig TinyConfig(string activation = "quick_gelu", bool legacyEos = false) => new()
    {
        Text = new ClipTextConfig
        {
            Tower = new ClipTowerConfig { HiddenSize = 32, IntermediateSize = 64, Layers = 2, Heads = 4, Activation = activation },
            VocabSize = VocabSize, MaxPositions = 77, EosTokenId = legacyEos ? 2 : EndId, BosTokenId = StartId,
        },
        Vision = new ClipVisionConfig
        {
            Tower = new ClipTowerConfig { HiddenSize = 32, IntermediateSize = 64, Layers = 2, Heads = 4, Activation = activation },
            ImageSize = 32, PatchSize = 8,
        },
        ProjectionDim = 16,
        LogitScaleInit = Math.Log(50),
    };

    /// <summary>
    /// A model with every parameter drawn at random (LayerNorm gains and biases too, so a wiring mistake anywhere shows),
    /// saved to a new directory with the tiny tokenizer. Returns the directory.
    /// </summary>
    public static string WriteRandomCheckpoint(ClipConfig config, int seed = 7)
    {
        var dir = Directory.CreateTempSubdirectory("robo-clip-model-").FullName;
        manual_seed(seed);
        using var model = new ClipModel(config);
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                if (name == "logit_scale") continue;
                if (name.EndsWith("layer_norm1.weight") || name.EndsWith("layer_norm2.weight") || name.Contains("layrnorm.weight") || name.Contains("layernorm.weight") || name.EndsWith("final_layer_norm.weight"))
                    p.uniform_(0.5, 1.5);
                else
                    p.normal_(0, name.Contains("embedding") ? 0.5 : 0.2);
            }
        }
        ClipCheckpoint.Save(dir, model, VocabJson(), MergesText());
        return dir;
    }
}
