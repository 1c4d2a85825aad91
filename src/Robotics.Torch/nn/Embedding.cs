using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>A lookup table of <see cref="num_embeddings"/> vectors, initialised N(0, 1) as PyTorch (the padding row zeroed).</summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight;

    public long num_embeddings { get; }
    public long embedding_dim { get; }
    public long padding_idx { get; }

    public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null, ScalarType? dtype = null)
    {
        this.num_embeddings = num_embeddings;
        this.embedding_dim = embedding_dim;
        if (padding_idx is { } p && (p >= num_embeddings || p < -num_embeddings))
            throw new ArgumentOutOfRangeException(nameof(padding_idx), p, "Padding_idx must be within num_embeddings");
        this.padding_idx = padding_idx is { } q ? (q < 0 ? q + num_embeddings : q) : -1;
        using var scope = NewDisposeScope();
        weight = new Parameter(empty([num_embeddings, embedding_dim], dtype, device));
        nn.init.normal_(weight);
        if (this.padding_idx >= 0)
            using (no_grad())
                weight[this.padding_idx].zero_();
    }

    public override Tensor forward(Tensor input) => nn.functional.embedding(input, weight, padding_idx);
}
