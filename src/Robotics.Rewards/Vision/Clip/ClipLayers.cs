using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.Clip;

// The pieces both CLIP towers share. Field names are Hugging Face's parameter names (self_attn.q_proj, layer_norm1,
// mlp.fc1, ...), because the module system registers fields under their names: a CLIPModel's safetensors then loads
// by name with no mapping table to get wrong.

/// <summary>The activations CLIP configs name (hidden_act).</summary>
public static class ClipActivation
{
    public static void Check(string name, string tower)
    {
        if (name is not ("quick_gelu" or "gelu" or "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast"))
            throw new InvalidDataException($"clip {tower} config: hidden_act '{name}' is not one CLIP uses (quick_gelu, gelu, gelu_new, gelu_pytorch_tanh)");
    }

    public static Tensor Apply(Tensor x, string name) => name switch
    {
        // OpenAI trained with x·σ(1.702x), a cheap sigmoid fit of GELU; their weights are only right with it.
        "quick_gelu" => x * (x * 1.702).sigmoid(),
        "gelu" => x.gelu(),
        _ => x.gelu("tanh"),
    };
}

/// <summary>Multi-head self-attention with separate q/k/v projections (transformers' CLIPAttention), scaled by 1/√head_dim.</summary>
public sealed class ClipAttention : nn.Module
{
    public Linear q_proj, k_proj, v_proj, out_proj;
    private readonly int _heads;

    public ClipAttention(ClipTowerConfig config)
    {
        long e = config.HiddenSize;
        _heads = config.Heads;
        q_proj = new Linear(e, e);
        k_proj = new Linear(e, e);
        v_proj = new Linear(e, e);
        out_proj = new Linear(e, e);
    }

    /// <param name="x">[batch, length, hidden]</param>
    /// <param name="causal">each position attends to itself and earlier ones only (the text tower)</param>
    public Tensor forward(Tensor x, bool causal)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), l = x.size(1), e = x.size(2), d = e / _heads;
        Tensor Heads(Linear proj) => proj.forward(x).view(b, l, _heads, d).transpose(1, 2);
        var attended = F.scaled_dot_product_attention(Heads(q_proj), Heads(k_proj), Heads(v_proj), is_causal: causal);
        return out_proj.forward(attended.transpose(1, 2).reshape(b, l, e)).MoveToOuterDisposeScope();
    }
}

/// <summary>fc1 → activation → fc2.</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    public Linear fc1, fc2;
    private readonly string _activation;

    public ClipMlp(ClipTowerConfig config)
    {
        fc1 = new Linear(config.HiddenSize, config.IntermediateSize);
        fc2 = new Linear(config.IntermediateSize, config.HiddenSize);
        _activation = config.Activation;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc2.forward(ClipActivation.Apply(fc1.forward(input), _activation)).MoveToOuterDisposeScope();
    }
}

/// <summary>A pre-LN residual block: x + attn(LN₁(x)), then x + mlp(LN₂(x)).</summary>
public sealed class ClipEncoderLayer : nn.Module
{
    public ClipAttention self_attn;
    public LayerNorm layer_norm1;
    public ClipMlp mlp;
    public LayerNorm layer_norm2;

    public ClipEncoderLayer(ClipTowerConfig config)
    {
        self_attn = new ClipAttention(config);
        layer_norm1 = new LayerNorm([config.HiddenSize], config.LayerNormEps);
        mlp = new ClipMlp(config);
        layer_norm2 = new LayerNorm([config.HiddenSize], config.LayerNormEps);
    }

    public Tensor forward(Tensor x, bool causal)
    {
        using var scope = NewDisposeScope();
        x = x + self_attn.forward(layer_norm1.forward(x), causal);
        x = x + mlp.forward(layer_norm2.forward(x));
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>The stack of blocks ("encoder.layers.N" in the checkpoint).</summary>
public sealed class ClipEncoder : nn.Module
{
    public ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(ClipTowerConfig config) =>
        layers = new ModuleList<ClipEncoderLayer>(Enumerable.Range(0, config.Layers).Select(_ => new ClipEncoderLayer(config)));

    public Tensor forward(Tensor x, bool causal)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in layers) x = layer.forward(x, causal);
        return x.MoveToOuterDisposeScope();
    }
}
