using System.Text.Json;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// A Hugging Face CLIP checkpoint directory, as `save_pretrained` (or a download of openai/clip-vit-base-patch32)
/// leaves it: config.json, model.safetensors (or shards listed in model.safetensors.index.json), vocab.json,
/// merges.txt, and optionally preprocessor_config.json. Only safetensors are read: pytorch_model.bin is a pickle,
/// which this project does not execute.
/// </summary>
public static class ClipCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string WeightsIndexFile = "model.safetensors.index.json";
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";
    public const string PreprocessorFile = "preprocessor_config.json";

    /// <summary>Reads config.json alone (cheap: for checks before the weights load).</summary>
    public static ClipConfig ReadConfig(string directory)
    {
        var path = Required(directory, ConfigFile);
        return ClipConfig.FromJson(File.ReadAllText(path), path);
    }

    /// <summary>The model with the checkpoint's weights, in eval mode, moved to <paramref name="device"/> (float32).</summary>
    public static ClipModel LoadModel(string directory, Device? device = null)
    {
        var config = ReadConfig(directory);
        var model = new ClipModel(config);
        try
        {
            using var scope = NewDisposeScope();
            var weights = ReadWeights(directory);
            // position_ids are buffers (arange) that older transformers saved; they are recomputed here, not loaded.
            var state = weights.Where(kv => !kv.Key.EndsWith(".position_ids", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
            try
            {
                model.load_state_dict(state);
            }
            catch (TorchException e)
            {
                throw new InvalidDataException($"{directory}: the weights don't fit the model config.json describes: {e.Message}", e);
            }
            model.eval();
            if (device is not null) model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static ClipTokenizer LoadTokenizer(string directory, int context = ClipTokenizer.DefaultContext) =>
        ClipTokenizer.Load(Required(directory, VocabFile), Required(directory, MergesFile), context);

    public static ClipImageProcessor LoadImageProcessor(string directory, int imageSize)
    {
        var path = Path.Combine(directory, PreprocessorFile);
        return File.Exists(path) ? ClipImageProcessor.FromJson(File.ReadAllText(path), imageSize, path) : ClipImageProcessor.ForImageSize(imageSize);
    }

    /// <summary>
    /// Writes <paramref name="model"/> as save_pretrained would (config.json and model.safetensors with transformers'
    /// parameter names) plus the tokenizer files given: how the tests make small checkpoints, and how a converted
    /// model is stored.
    /// </summary>
    public static void Save(string directory, ClipModel model, string vocabJson, string mergesText)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
        SafeTensors.Save(Path.Combine(directory, WeightsFile), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, VocabFile), vocabJson);
        File.WriteAllText(Path.Combine(directory, MergesFile), mergesText);
    }

    /// <summary>All tensors of model.safetensors, or of every shard the index names (tracked by the caller's dispose scope).</summary>
    private static Dictionary<string, Tensor> ReadWeights(string directory)
    {
        var single = Path.Combine(directory, WeightsFile);
        if (File.Exists(single)) return SafeTensors.Load(single).tensors;
        var index = Path.Combine(directory, WeightsIndexFile);
        if (!File.Exists(index))
        {
            var pickle = File.Exists(Path.Combine(directory, "pytorch_model.bin")) ? " (pytorch_model.bin is there: convert it with safetensors' convert script, or download the model.safetensors the hub also has)" : "";
            throw new FileNotFoundException($"{directory}: no {WeightsFile} or {WeightsIndexFile}{pickle}");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(index));
        var shards = doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct();
        var all = new Dictionary<string, Tensor>();
        foreach (var shard in shards)
            foreach (var (name, t) in SafeTensors.Load(Required(directory, shard)).tensors) all[name] = t;
        return all;
    }

    private static string Required(string directory, string file)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"CLIP model directory '{directory}' does not exist");
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{directory}: no {file}; a Hugging Face CLIP directory has config.json, model.safetensors, vocab.json and merges.txt", path);
        return path;
    }
}
