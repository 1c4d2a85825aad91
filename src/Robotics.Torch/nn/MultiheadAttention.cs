using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>
/// nn.MultiheadAttention (query, key and value all of width <see cref="embed_dim"/>): packed input
/// projection (xavier-uniform, zero bias), scaled dot-product attention per head, output projection.
/// Masks follow this module's PyTorch convention: a bool attn_mask / key_padding_mask is True where
/// attention is NOT allowed; float masks are added to the scores.
/// </summary>
public sealed class MultiheadAttention : nn.Module
{
    public Parameter in_proj_weight;
    public Parameter? in_proj_bias;
    public Linear out_proj;

    public long embed_dim { get; }
    public long num_heads { get; }
    public double dropout { get; }
    public bool batch_first { get; }
    public long head_dim => embed_dim / num_heads;

    public MultiheadAttention(long embed_dim, long num_heads, double dropout = 0, bool bias = true, bool batch_first = false,
                              Device? device = null, ScalarType? dtype = null)
    {
        if (num_heads <= 0 || embed_dim % num_heads != 0)
            throw new ArgumentException($"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})");
        this.embed_dim = embed_dim;
        this.num_heads = num_heads;
        this.dropout = dropout;
        this.batch_first = batch_first;
        using var scope = NewDisposeScope();
        in_proj_weight = new Parameter(empty([3 * embed_dim, embed_dim], dtype, device));
        nn.init.xavier_uniform_(in_proj_weight);
        if (bias) in_proj_bias = new Parameter(zeros([3 * embed_dim], dtype, device));
        out_proj = new Linear(embed_dim, embed_dim, bias, device, dtype);
        if (out_proj.bias is not null) nn.init.zeros_(out_proj.bias);
    }

    /// <summary>
    /// Attends from <paramref name="query"/> ([L, N, E], or [N, L, E] when batch_first) to
    /// <paramref name="key"/>/<paramref name="value"/> ([S, N, E]). Returns the output (query's layout)
    /// and, when <paramref name="need_weights"/>, the weights [N, L, S] (averaged over heads) or [N, H, L, S].
    /// </summary>
    public (Tensor output, Tensor? weights) forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask = null, bool need_weights = true,
                                                    Tensor? attn_mask = null, bool average_attn_weights = true, bool is_causal = false)
    {
        using var scope = NewDisposeScope();
        if (!batch_first) (query, key, value) = (query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1));
        long n = query.size(0), l = query.size(1), s = key.size(1);
        var w = in_proj_weight.chunk(3);
        var b = in_proj_bias?.chunk(3) ?? new Tensor?[3];
        Tensor Heads(Tensor x, int k, long len) =>
            nn.functional.linear(x, w[k], b[k]).view(n, len, num_heads, head_dim).transpose(1, 2);
        var (q, kk, v) = (Heads(query, 0, l), Heads(key, 1, s), Heads(value, 2, s));

        Tensor? mask = null;
        if (attn_mask is null && is_causal) attn_mask = ones([l, s], @bool, query.device).triu(1);
        if (attn_mask is not null) mask = Additive(attn_mask, query).view(-1, attn_mask.dim() == 3 ? num_heads : 1, l, s);
        if (key_padding_mask is not null)
        {
            var pad = Additive(key_padding_mask, query).view(n, 1, 1, s);
            mask = mask is null ? pad : mask + pad;
        }

        Tensor output;
        Tensor? weights = null;
        unsafe
        {
            IntPtr raw = IntPtr.Zero;
            output = nn.functional.Attention(q, kk, v, mask, training ? dropout : 0, false, null, need_weights ? &raw : null);
            if (need_weights) weights = Tensor.Wrap(raw);
        }
        output = out_proj.forward(output.transpose(1, 2).reshape(n, l, embed_dim));
        if (!batch_first) output = output.transpose(0, 1);
        if (weights is not null && average_attn_weights) weights = weights.mean(1);
        output.MoveToOuterDisposeScope();
        weights?.MoveToOuterDisposeScope();
        return (output, weights);
    }

    /// <summary>Self-attention: query = key = value.</summary>
    public (Tensor output, Tensor? weights) forward(Tensor x, bool need_weights = false, Tensor? attn_mask = null, bool is_causal = false) =>
        forward(x, x, x, null, need_weights, attn_mask, true, is_causal);

    /// <summary>A bool "not allowed" mask becomes 0 / -inf in the query's dtype; a float mask is used as is.</summary>
    private static Tensor Additive(Tensor mask, Tensor like) =>
        mask.dtype == ScalarType.Bool ? zeros_like(mask, like.dtype).masked_fill(mask, double.NegativeInfinity) : mask.to(like.dtype);
}
