using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Preferences.Pebble;

/// <summary>
/// PEBBLE's intrinsic reward for unsupervised pre-training (Lee et al. 2021 §4.1, after Liu &amp; Abbeel's APT): a
/// particle estimate of state entropy, r_int(s) = ‖s − s^(k)‖, the distance from s to its k-th nearest neighbour
/// among the states visited so far (B-Pref compute_state_entropy, topK = 5), divided by the running standard
/// deviation of those distances. States far from everything seen are rewarded: the agent learns to spread out.
/// </summary>
public sealed class StateEntropy
{
    /// <summary>Query rows per distance block: [block × visited] distances stay a few MB.</summary>
    private const int Block = 512;

    private float[] _points;
    private long _n;
    private double _mean, _m2;

    public StateEntropy(int dimension, int k = 5, int capacity = 16_384)
    {
        if (dimension < 1 || k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"need dimension >= 1 and k >= 1, got {dimension} and {k}");
        (Dimension, K) = (dimension, k);
        _points = new float[Math.Max(capacity, 1) * dimension];
    }

    public int Dimension { get; }
    public int K { get; }
    /// <summary>States visited so far.</summary>
    public int Count { get; private set; }
    /// <summary>The running std that divides the distances (1 until two have been seen).</summary>
    public double Scale => _n < 2 ? 1 : Math.Max(Math.Sqrt(_m2 / _n), 1e-8);

    public void Clear()
    {
        Count = 0;
        (_n, _mean, _m2) = (0, 0, 0);
    }

    /// <summary>Adds a visited state and returns its intrinsic reward (0 until more than k states are known).</summary>
    public float Add(ReadOnlySpan<float> state)
    {
        if (state.Length != Dimension) throw new ArgumentException($"states have {Dimension} numbers, got {state.Length}");
        if ((Count + 1) * Dimension > _points.Length) Array.Resize(ref _points, _points.Length * 2);
        state.CopyTo(_points.AsSpan(Count * Dimension));
        Count++;
        if (Count <= K) return 0;
        var distance = KnnDistances(state, 1)[0];
        Observe(distance);
        return (float)(distance / Scale);
    }

    /// <summary>The intrinsic reward of every visited state against all the others (in visiting order).</summary>
    public float[] RewardAll()
    {
        var rewards = new float[Count];
        if (Count <= K) return rewards;
        for (int start = 0; start < Count; start += Block)
        {
            int size = Math.Min(Block, Count - start);
            var distances = KnnDistances(_points.AsSpan(start * Dimension, size * Dimension), size);
            for (int i = 0; i < size; i++) rewards[start + i] = distances[i];
        }
        foreach (var d in rewards) Observe(d);
        double scale = Scale;
        for (int i = 0; i < rewards.Length; i++) rewards[i] = (float)(rewards[i] / scale);
        return rewards;
    }

    /// <summary>
    /// Distance from each query to its k-th nearest visited state, not counting itself: the (k+1)-th smallest
    /// distance, as B-Pref takes kthvalue(k + 1) with the query among the points.
    /// </summary>
    private float[] KnnDistances(ReadOnlySpan<float> queries, int count)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var q = tensor<float>(queries, [count, Dimension]);
        var points = from_array(_points, [_points.Length / Dimension, Dimension]).narrow(0, 0, Count);
        // ‖q − p‖² = ‖q‖² + ‖p‖² − 2 q·p: one matrix product, and no [count, Count, dim] temporary.
        var squared = q.square().sum(1, keepdim: true) + points.square().sum(1).unsqueeze(0) - 2 * q.matmul(points.t());
        var distances = squared.clamp(0).sqrt(); // [count, Count]
        var (values, _) = distances.topk(K + 1, dim: 1, largest: false, sorted: true);
        return values.select(1, K).contiguous().ToArray<float>();
    }

    private void Observe(double x)
    {
        _n++;
        double delta = x - _mean;
        _mean += delta / _n;
        _m2 += delta * (x - _mean);
    }
}
