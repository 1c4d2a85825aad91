using Robotics.Torch.Serialization;

namespace Robotics.Torch;

public static partial class torch
{
    /// <summary>Saves named tensors as a safetensors file (not a pickle, unlike Python's torch.save).</summary>
    public static void save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Save(path, tensors, metadata);

    /// <summary>Loads a safetensors file as new CPU tensors (tracked by the current dispose scope).</summary>
    public static Dictionary<string, Tensor> load(string path) => SafeTensors.Load(path).tensors;
}
