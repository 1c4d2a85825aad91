using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// CLIP (Radford et al. 2021) as transformers' CLIPModel lays it out: a text transformer and a ViT, each followed by a
/// bias-free projection into one shared space, and a learned logit scale (a log temperature). Parameter names are
/// transformers' ("text_model.encoder.layers.0.self_attn.q_proj.weight", "visual_projection.weight", "logit_scale"),
/// so <see cref="nn.Module.load_state_dict"/> takes a Hugging Face model.safetensors as it is.
/// Forward passes allocate their temporaries in dispose scopes; run them under no_grad for inference.
/// </summary>
public sealed class ClipModel : nn.Module
{
    public ClipTextTransformer text_model;
    public ClipVisionTransformer vision_model;
    public Linear visual_projection;
    public Linear text_projection;
    public Parameter logit_scale;

    public ClipConfig Config { get; }

    public ClipModel(ClipConfig config)
    {
        config.Validate();
        Config = config;
        text_model = new ClipTextTransformer(config.Text);
        vision_model = new ClipVisionTransformer(config.Vision);
        visual_projection = new Linear(config.Vision.Tower.HiddenSize, config.ProjectionDim, bias: false);
        text_projection = new Linear(config.Text.Tower.HiddenSize, config.ProjectionDim, bias: false);
        using var scope = NewDisposeScope();
        logit_scale = new Parameter(tensor(config.LogitScaleInit, ScalarType.Float32));
    }

    public Device Device => logit_scale.device;

    /// <summary>Projected image features [batch, projection_dim] (not normalised: CLIP's get_image_features).</summary>
    /// <param name="pixels">[batch, channels, size, size], preprocessed by <see cref="ClipImageProcessor"/></param>
    public Tensor GetImageFeatures(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        return visual_projection.forward(vision_model.forward(pixels.to(Device))).MoveToOuterDisposeScope();
    }

    /// <summary>Projected text features [batch, projection_dim] (not normalised: CLIP's get_text_features).</summary>
    /// <param name="tokens">token ids, each starting with the start token and ending with the end token (from <see cref="ClipTokenizer"/>)</param>
    public Tensor GetTextFeatures(IReadOnlyList<int[]> tokens)
    {
        if (tokens.Count == 0) throw new ArgumentException("clip text: no texts to encode");
        using var scope = NewDisposeScope();
        var (ids, eot) = Batch(tokens);
        return text_projection.forward(text_model.forward(ids, eot)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pads token rows to the longest one (after its EOT, where the causal mask keeps padding from mattering) and finds
    /// each row's pooling position as transformers does: the first <see cref="ClipTextConfig.EosTokenId"/>, or for the
    /// legacy id 2 the highest id in the row (OpenAI's rule; its EOT is the vocabulary's last token).
    /// </summary>
    internal (Tensor Ids, Tensor Eot) Batch(IReadOnlyList<int[]> tokens)
    {
        int length = tokens.Max(t => t.Length);
        if (length == 0) throw new ArgumentException("clip text: an empty token sequence (the tokenizer always adds start and end tokens)");
        int eos = Config.Text.EosTokenId;
        bool legacy = eos == 2;
        var ids = new long[tokens.Count * length];
        var eot = new long[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            var row = tokens[i];
            int at = -1;
            for (int j = 0; j < row.Length; j++)
            {
                if (row[j] < 0 || row[j] >= Config.Text.VocabSize)
                    throw new ArgumentException($"clip text: token id {row[j]} is outside the vocabulary of {Config.Text.VocabSize}");
                ids[i * length + j] = row[j];
                if (legacy ? (at < 0 || row[j] > row[at]) : (at < 0 && row[j] == eos)) at = j;
            }
            if (at < 0) throw new ArgumentException($"clip text: row {i} has no end-of-text token (id {eos}); tokenize with ClipTokenizer, which adds it");
            for (int j = row.Length; j < length; j++) ids[i * length + j] = row[^1];
            eot[i] = at;
        }
        return (tensor(ids, [tokens.Count, length]).to(Device), tensor(eot).to(Device));
    }

    /// <summary>
    /// exp(logit_scale), unclamped as transformers applies it (CLIP's training clamps it at 100, so every released
    /// checkpoint holds at most ln 100).
    /// </summary>
    public double Temperature => Math.Exp(logit_scale.item<float>());

    /// <summary>CLIP's logits_per_image: temperature × cosine similarity of every image with every text, [images, texts].</summary>
    public Tensor LogitsPerImage(Tensor imageFeatures, Tensor textFeatures)
    {
        using var scope = NewDisposeScope();
        var image = F.normalize(imageFeatures, dim: -1);
        var text = F.normalize(textFeatures, dim: -1);
        return (image.matmul(text.t()) * Temperature).MoveToOuterDisposeScope();
    }
}
