using System.Text.Json;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// One of CLIP's two transformers, as Hugging Face's CLIPTextConfig / CLIPVisionConfig describe it. Defaults are
/// transformers' own (those of openai/clip-vit-base-patch32), so a config.json that leaves a key out means the same
/// here as it does in Python.
/// </summary>
public sealed record ClipTowerConfig
{
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int Layers { get; init; }
    public int Heads { get; init; }
    /// <summary>"quick_gelu" (OpenAI's checkpoints), "gelu" (exact erf GELU, e.g. OpenCLIP/LAION), or the tanh approximation "gelu_new"/"gelu_pytorch_tanh".</summary>
    public string Activation { get; init; } = "quick_gelu";
    public double LayerNormEps { get; init; } = 1e-5;

    public int HeadDim => HiddenSize / Heads;

    public void Validate(string tower)
    {
        if (HiddenSize <= 0 || IntermediateSize <= 0 || Layers <= 0 || Heads <= 0)
            throw new InvalidDataException($"clip {tower} config: hidden_size ({HiddenSize}), intermediate_size ({IntermediateSize}), num_hidden_layers ({Layers}) and num_attention_heads ({Heads}) must be positive");
        if (HiddenSize % Heads != 0)
            throw new InvalidDataException($"clip {tower} config: hidden_size {HiddenSize} is not divisible by num_attention_heads {Heads}");
        ClipActivation.Check(Activation, tower);
    }
}

/// <summary>The text transformer: a vocabulary, a context of <see cref="MaxPositions"/> tokens, and the token that ends a text.</summary>
public sealed record ClipTextConfig
{
    public ClipTowerConfig Tower { get; init; } = new() { HiddenSize = 512, IntermediateSize = 2048, Layers = 12, Heads = 8 };
    public int VocabSize { get; init; } = 49408;
    /// <summary>77 for every released CLIP; the tokenizer truncates to it.</summary>
    public int MaxPositions { get; init; } = 77;
    /// <summary>
    /// The end-of-text token whose final hidden state is the text's embedding. transformers treats 2 (its old default,
    /// which no real vocabulary uses for EOT) as "legacy": the EOT is then found as the highest id in the sequence,
    /// as OpenAI's code does (the EOT is the last entry of its vocabulary). Any other value is looked up by equality.
    /// </summary>
    public int EosTokenId { get; init; } = 2;
    public int BosTokenId { get; init; } = 1;
}

/// <summary>The ViT: square images of <see cref="ImageSize"/> pixels cut into <see cref="PatchSize"/>² patches.</summary>
public sealed record ClipVisionConfig
{
    public ClipTowerConfig Tower { get; init; } = new() { HiddenSize = 768, IntermediateSize = 3072, Layers = 12, Heads = 12 };
    public int ImageSize { get; init; } = 224;
    public int PatchSize { get; init; } = 32;
    public int Channels { get; init; } = 3;

    public int PatchesPerSide => ImageSize / PatchSize;
    /// <summary>Patches plus the class token.</summary>
    public int Positions => PatchesPerSide * PatchesPerSide + 1;
}

/// <summary>
/// A whole CLIPModel's config.json: both towers, the width of the shared embedding space and the initial logit scale.
/// </summary>
public sealed record ClipConfig
{
    public ClipTextConfig Text { get; init; } = new();
    public ClipVisionConfig Vision { get; init; } = new();
    public int ProjectionDim { get; init; } = 512;
    /// <summary>log(1/0.07), CLIP's initial temperature; a checkpoint's logit_scale parameter replaces it.</summary>
    public double LogitScaleInit { get; init; } = 2.6592;

    public void Validate()
    {
        Text.Tower.Validate("text");
        Vision.Tower.Validate("vision");
        if (Text.VocabSize <= 0 || Text.MaxPositions <= 1)
            throw new InvalidDataException($"clip text config: vocab_size ({Text.VocabSize}) must be positive and max_position_embeddings ({Text.MaxPositions}) above 1");
        if (Vision.PatchSize <= 0 || Vision.ImageSize < Vision.PatchSize || Vision.ImageSize % Vision.PatchSize != 0)
            throw new InvalidDataException($"clip vision config: image_size {Vision.ImageSize} must be a positive multiple of patch_size {Vision.PatchSize}");
        if (Vision.Channels <= 0) throw new InvalidDataException($"clip vision config: num_channels must be positive, got {Vision.Channels}");
        if (ProjectionDim <= 0) throw new InvalidDataException($"clip config: projection_dim must be positive, got {ProjectionDim}");
    }

    /// <summary>
    /// Reads a Hugging Face CLIPModel config.json. Older files keep the towers under text_config_dict /
    /// vision_config_dict; either spelling is read, and keys left out (or null) take transformers' defaults.
    /// </summary>
    public static ClipConfig FromJson(string json, string source = "config.json")
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected a JSON object");
        if (Str(root, "model_type") is { } type && type != "clip")
            throw new InvalidDataException($"{source}: model_type is '{type}', expected 'clip' (a CLIPModel checkpoint)");
        var text = Section(root, "text_config") ?? Section(root, "text_config_dict");
        var vision = Section(root, "vision_config") ?? Section(root, "vision_config_dict");
        if (text is null || vision is null) throw new InvalidDataException($"{source}: needs both text_config and vision_config (a CLIPModel config, not one tower's)");

        var defaults = new ClipConfig();
        var config = new ClipConfig
        {
            Text = new ClipTextConfig
            {
                Tower = Tower(text.Value, defaults.Text.Tower),
                VocabSize = Int(text.Value, "vocab_size") ?? defaults.Text.VocabSize,
                MaxPositions = Int(text.Value, "max_position_embeddings") ?? defaults.Text.MaxPositions,
                EosTokenId = Int(text.Value, "eos_token_id") ?? defaults.Text.EosTokenId,
                BosTokenId = Int(text.Value, "bos_token_id") ?? defaults.Text.BosTokenId,
            },
            Vision = new ClipVisionConfig
            {
                Tower = Tower(vision.Value, defaults.Vision.Tower),
                ImageSize = Int(vision.Value, "image_size") ?? defaults.Vision.ImageSize,
                PatchSize = Int(vision.Value, "patch_size") ?? defaults.Vision.PatchSize,
                Channels = Int(vision.Value, "num_channels") ?? defaults.Vision.Channels,
            },
            ProjectionDim = Int(root, "projection_dim") ?? defaults.ProjectionDim,
            LogitScaleInit = Double(root, "logit_scale_init_value") ?? defaults.LogitScaleInit,
        };
        try
        {
            config.Validate();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        return config;
    }

    /// <summary>The config.json transformers would write for this model (what the tests write beside their random weights).</summary>
    public string ToJson()
    {
        static object Tower(ClipTowerConfig t, int projection, Dictionary<string, object> extra)
        {
            var d = new Dictionary<string, object>
            {
                ["hidden_size"] = t.HiddenSize, ["intermediate_size"] = t.IntermediateSize, ["num_hidden_layers"] = t.Layers,
                ["num_attention_heads"] = t.Heads, ["hidden_act"] = t.Activation, ["layer_norm_eps"] = t.LayerNormEps,
                ["projection_dim"] = projection,
            };
            foreach (var (k, v) in extra) d[k] = v;
            return d;
        }
        var json = new Dictionary<string, object>
        {
            ["architectures"] = new[] { "CLIPModel" },
            ["model_type"] = "clip",
            ["projection_dim"] = ProjectionDim,
            ["logit_scale_init_value"] = LogitScaleInit,
            ["text_config"] = Tower(Text.Tower, ProjectionDim, new()
            {
                ["model_type"] = "clip_text_model", ["vocab_size"] = Text.VocabSize, ["max_position_embeddings"] = Text.MaxPositions,
                ["eos_token_id"] = Text.EosTokenId, ["bos_token_id"] = Text.BosTokenId,
            }),
            ["vision_config"] = Tower(Vision.Tower, ProjectionDim, new()
            {
                ["model_type"] = "clip_vision_model", ["image_size"] = Vision.ImageSize, ["patch_size"] = Vision.PatchSize, ["num_channels"] = Vision.Channels,
            }),
        };
        return JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true });
    }

    private static ClipTowerConfig Tower(JsonElement e, ClipTowerConfig d) => new()
    {
        HiddenSize = Int(e, "hidden_size") ?? d.HiddenSize,
        IntermediateSize = Int(e, "intermediate_size") ?? d.IntermediateSize,
        Layers = Int(e, "num_hidden_layers") ?? d.Layers,
        Heads = Int(e, "num_attention_heads") ?? d.Heads,
        Activation = Str(e, "hidden_act") ?? d.Activation,
        LayerNormEps = Double(e, "layer_norm_eps") ?? d.LayerNormEps,
    };

    private static JsonElement? Section(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static int? Int(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static double? Double(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? Str(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
