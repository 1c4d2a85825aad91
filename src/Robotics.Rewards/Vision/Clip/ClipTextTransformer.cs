using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>Token embeddings plus learned absolute positions (transformers' CLIPTextEmbeddings).</summary>
public sealed class ClipTextEmbeddings : nn.Module<Tensor, Tensor>
{
    public Embedding token_embedding;
    public Embedding position_embedding;

    public ClipTextEmbeddings(ClipTextConfig config)
    {
        token_embedding = new Embedding(config.VocabSize, config.Tower.HiddenSize);
        position_embedding = new Embedding(config.MaxPositions, config.Tower.HiddenSize);
        nn.init.normal_(token_embedding.weight, 0, 0.02);
        nn.init.normal_(position_embedding.weight, 0, 0.02);
    }

    /// <param name="input">int64 token ids [batch, length], length at most the model's context</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long l = input.size(1);
        if (l > position_embedding.num_embeddings)
            throw new ArgumentException($"clip text: {l} tokens, but the model has {position_embedding.num_embeddings} positions; the tokenizer truncates to the context");
        var positions = position_embedding.weight.narrow(0, 0, l).unsqueeze(0);
        return (token_embedding.forward(input) + positions).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// CLIP's text tower (transformers' CLIPTextTransformer): embeddings, causally masked pre-LN blocks, a final LayerNorm,
/// and the hidden state at each text's end-of-text token as its pooled output. The causal mask is what makes padding
/// after the EOT harmless: nothing before the EOT can see it, so batches are padded only to their longest text.
/// </summary>
public sealed class ClipTextTransformer : nn.Module
{
    public ClipTextEmbeddings embeddings;
    public ClipEncoder encoder;
    public LayerNorm final_layer_norm;

    public ClipTextTransformer(ClipTextConfig config)
    {
        embeddings = new ClipTextEmbeddings(config);
        encoder = new ClipEncoder(config.Tower);
        final_layer_norm = new LayerNorm([config.Tower.HiddenSize], config.Tower.LayerNormEps);
    }

    /// <param name="ids">int64 token ids [batch, length]</param>
    /// <param name="eotPositions">int64 [batch]: where each row's end-of-text token is</param>
    /// <returns>the pooled output [batch, hidden]</returns>
    public Tensor forward(Tensor ids, Tensor eotPositions)
    {
        using var scope = NewDisposeScope();
        var hidden = final_layer_norm.forward(encoder.forward(embeddings.forward(ids), causal: true));
        long b = hidden.size(0), l = hidden.size(1), e = hidden.size(2);
        // Row i's EOT state is row i·L + eot[i] of the flattened [B·L, E] states: one gather, no per-row loop.
        var rows = arange(b, ScalarType.Int64, hidden.device) * l + eotPositions.to(hidden.device);
        return hidden.reshape(b * l, e).index_select(0, rows).MoveToOuterDisposeScope();
    }
}
