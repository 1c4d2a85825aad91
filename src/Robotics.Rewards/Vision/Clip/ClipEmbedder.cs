using Robotics.Core.Images;
using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.Clip;

/// <summary>
/// CLIP end to end: frames and texts in, unit-length embeddings out. Images are preprocessed on the CPU, then encoded
/// in batches of at most <see cref="BatchSize"/> on the model's device, without autograd; the result is a CPU float32
/// tensor [n, projection_dim] owned by the caller. Owns the model.
/// </summary>
public sealed class ClipEmbedder : IDisposable
{
    public ClipModel Model { get; }
    public ClipTokenizer Tokenizer { get; }
    public ClipImageProcessor Processor { get; }
    /// <summary>Images per forward pass: bounds activation memory (a ViT-B/32 batch of 64 needs a few hundred MB).</summary>
    public int BatchSize { get; }

    public ClipEmbedder(ClipModel model, ClipTokenizer tokenizer, ClipImageProcessor processor, int batchSize = 64)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be positive");
        (Model, Tokenizer, Processor, BatchSize) = (model, tokenizer, processor, batchSize);
        Model.eval();
    }

    /// <summary>Everything a Hugging Face CLIP directory holds, on <paramref name="device"/>.</summary>
    public static ClipEmbedder Load(string directory, Device? device = null, int batchSize = 64)
    {
        var model = ClipCheckpoint.LoadModel(directory, device);
        try
        {
            var tokenizer = ClipCheckpoint.LoadTokenizer(directory, model.Config.Text.MaxPositions);
            if (tokenizer.VocabSize > model.Config.Text.VocabSize)
                throw new InvalidDataException($"{directory}: vocab.json has ids up to {tokenizer.VocabSize - 1}, beyond the model's vocab_size {model.Config.Text.VocabSize}");
            return new ClipEmbedder(model, tokenizer, ClipCheckpoint.LoadImageProcessor(directory, model.Config.Vision.ImageSize), batchSize);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public int Dimension => Model.Config.ProjectionDim;

    /// <summary>Unit-length image embeddings [frames, dim] on the CPU.</summary>
    public Tensor EmbedImages(IReadOnlyList<RgbImage> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("no frames to embed");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (int start = 0; start < frames.Count; start += BatchSize)
        {
            var chunk = frames.Skip(start).Take(BatchSize).ToArray();
            parts.Add(F.normalize(Model.GetImageFeatures(Processor.Process(chunk)), dim: -1).cpu());
        }
        return (parts.Count == 1 ? parts[0] : cat(parts.ToArray(), 0)).MoveToOuterDisposeScope();
    }

    /// <summary>Unit-length text embeddings [texts, dim] on the CPU.</summary>
    public Tensor EmbedTexts(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) throw new ArgumentException("no texts to embed");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = Model.GetTextFeatures(Tokenizer.Encode(texts));
        return F.normalize(features, dim: -1).cpu().MoveToOuterDisposeScope();
    }

    public void Dispose() => Model.Dispose();
}
