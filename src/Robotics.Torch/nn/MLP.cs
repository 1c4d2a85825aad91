using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>
/// The fully connected network every RL paper uses: Linear layers through <c>sizes</c>
/// (input, hidden..., output) with an activation between them and none after the last
/// (optionally <c>output_activation</c>). A <see cref="Sequential"/>, so state-dict names are
/// "0.weight", "2.weight"... as the equivalent PyTorch nn.Sequential.
/// </summary>
public static class MLP
{
    /// <param name="sizes">Layer widths, input first, output last (at least two).</param>
    /// <param name="activation">Makes one activation module per hidden layer (default ReLU).</param>
    /// <param name="output_activation">Optional activation after the last layer (e.g. Tanh for bounded actions).</param>
    /// <param name="device">Where the parameters live (CPU by default).</param>
    /// <param name="dtype">Parameter dtype (float32 by default).</param>
    public static Sequential Create(IReadOnlyList<long> sizes, Func<nn.Module<Tensor, Tensor>>? activation = null,
                                    Func<nn.Module<Tensor, Tensor>>? output_activation = null, Device? device = null, ScalarType? dtype = null)
    {
        if (sizes.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output size", nameof(sizes));
        activation ??= () => new ReLU();
        var seq = new Sequential();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            seq.append(new Linear(sizes[i], sizes[i + 1], device: device, dtype: dtype));
            if (i + 2 < sizes.Count) seq.append(activation());
        }
        if (output_activation is not null) seq.append(output_activation());
        return seq;
    }
}
