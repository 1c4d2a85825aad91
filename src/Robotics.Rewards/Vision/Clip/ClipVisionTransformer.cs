using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// Patch, class-token and position embeddings of the ViT (transformers' CLIPVisionEmbeddings): a stride-p convolution
/// without bias cuts the image into p×p patches, a learned class token goes first, and learned absolute positions are
/// added to all of them.
/// </summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    public Parameter class_embedding;
    public Conv2d patch_embedding;
    public Embedding position_embedding;

    public ClipVisionEmbeddings(ClipVisionConfig config)
    {
        int e = config.Tower.HiddenSize;
        using var scope = NewDisposeScope();
        // transformers' _init_weights: N(0, 1/√width) for the class token; the others keep PyTorch's layer defaults.
        class_embedding = new Parameter(randn([e]) * Math.Pow(e, -0.5));
        patch_embedding = new Conv2d(config.Channels, e, (config.PatchSize, config.PatchSize), stride: (config.PatchSize, config.PatchSize), bias: false);
        position_embedding = new Embedding(config.Positions, e);
        nn.init.normal_(position_embedding.weight, 0, 0.02);
    }

    /// <param name="input">pixel values [batch, channels, size, size], already normalised</param>
    /// <returns>[batch, 1 + patches, hidden]</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long b = input.size(0), e = class_embedding.size(0);
        var patches = patch_embedding.forward(input).flatten(2).transpose(1, 2);
        var cls = class_embedding.view(1, 1, e).expand(b, 1, e);
        var tokens = cat([cls, patches], 1);
        if (tokens.size(1) != position_embedding.num_embeddings)
            throw new ArgumentException($"clip vision: {tokens.size(1) - 1} patches from a {input.size(2)}×{input.size(3)} image, but the model has positions for {position_embedding.num_embeddings - 1}; preprocess images to the model's size first");
        return (tokens + position_embedding.weight.unsqueeze(0)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// CLIP's image tower (transformers' CLIPVisionTransformer): embeddings, a LayerNorm before the blocks (spelled
/// "pre_layrnorm" in every checkpoint), the pre-LN blocks, and a LayerNorm on the class token's final state.
/// </summary>
public sealed class ClipVisionTransformer : nn.Module<Tensor, Tensor>
{
    public ClipVisionEmbeddings embeddings;
    public LayerNorm pre_layrnorm;
    public ClipEncoder encoder;
    public LayerNorm post_layernorm;

    public ClipVisionTransformer(ClipVisionConfig config)
    {
        embeddings = new ClipVisionEmbeddings(config);
        pre_layrnorm = new LayerNorm([config.Tower.HiddenSize], config.Tower.LayerNormEps);
        encoder = new ClipEncoder(config.Tower);
        post_layernorm = new LayerNorm([config.Tower.HiddenSize], config.Tower.LayerNormEps);
    }

    /// <returns>the pooled output [batch, hidden]: the class token after the post-LN (before the projection)</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = encoder.forward(pre_layrnorm.forward(embeddings.forward(input)), causal: false);
        return post_layernorm.forward(hidden.select(1, 0)).MoveToOuterDisposeScope();
    }
}
