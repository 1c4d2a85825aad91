using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Vision.VlmRm;

/// <summary>
/// Unit text embeddings by prompt, computed once: prompts are fixed for a run while frames stream by, and a text
/// forward pass costs as much as an image one. Prompts missing from the cache are embedded together in one batch.
/// Thread-safe.
/// </summary>
public sealed class TextEmbeddingCache(Func<IReadOnlyList<string>, Tensor> embed)
{
    private readonly Dictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <summary>Texts sent to the encoder so far (a cache hit sends none).</summary>
    public int Encoded { get; private set; }
    public int Count { get { lock (_lock) return _cache.Count; } }

    /// <summary>[texts, D] float32 on the CPU, a new tensor the caller owns.</summary>
    public Tensor Get(IReadOnlyList<string> texts)
    {
        float[][] rows;
        lock (_lock)
        {
            var missing = texts.Distinct(StringComparer.Ordinal).Where(t => !_cache.ContainsKey(t)).ToArray();
            if (missing.Length > 0)
            {
                using var embedded = embed(missing);
                var values = embedded.to(ScalarType.Float32).cpu().contiguous().ToArray<float>();
                int d = values.Length / missing.Length;
                for (int i = 0; i < missing.Length; i++) _cache[missing[i]] = values.AsSpan(i * d, d).ToArray();
                Encoded += missing.Length;
            }
            rows = texts.Select(t => _cache[t]).ToArray();
        }
        int dim = rows[0].Length;
        var flat = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++) rows[i].CopyTo(flat, i * dim);
        return tensor(flat, [rows.Length, dim]);
    }
}
