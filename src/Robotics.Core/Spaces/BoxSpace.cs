using Robotics.Core.Seeding;

namespace Robotics.Core.Spaces;

/// <summary>A box in R^n with per-dimension bounds (Gymnasium's Box, float32, one dimension).</summary>
public sealed record BoxSpace
{
    public float[] Low { get; }
    public float[] High { get; }
    public int Dimension => Low.Length;

    public BoxSpace(float[] low, float[] high)
    {
        if (low.Length != high.Length)
            throw new ArgumentException($"box bounds differ in length: low has {low.Length}, high has {high.Length}");
        for (int i = 0; i < low.Length; i++)
            if (!(low[i] <= high[i])) throw new ArgumentException($"box bound {i}: low {low[i]} is not <= high {high[i]}");
        Low = low;
        High = high;
    }

    public static BoxSpace Uniform(int dimension, float low, float high) =>
        new(Enumerable.Repeat(low, dimension).ToArray(), Enumerable.Repeat(high, dimension).ToArray());

    public bool Contains(ReadOnlySpan<float> x)
    {
        if (x.Length != Dimension) return false;
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= Low[i] && x[i] <= High[i])) return false;
        return true;
    }

    /// <summary>Uniform sample; unbounded dimensions fall back to a standard normal, as Gymnasium does.</summary>
    public float[] Sample(Rng rng)
    {
        var x = new float[Dimension];
        for (int i = 0; i < x.Length; i++)
        {
            bool lowFinite = float.IsFinite(Low[i]), highFinite = float.IsFinite(High[i]);
            x[i] = lowFinite && highFinite ? (float)rng.Uniform(Low[i], High[i])
                 : lowFinite ? Low[i] + (float)Math.Abs(rng.NextGaussian())
                 : highFinite ? High[i] - (float)Math.Abs(rng.NextGaussian())
                 : (float)rng.NextGaussian();
        }
        return x;
    }

    /// <summary>Throws a clear error for a vector of the wrong length or with NaN/infinite entries.</summary>
    public void Validate(ReadOnlySpan<float> x, string what)
    {
        if (x.Length != Dimension)
            throw new ArgumentException($"{what} has length {x.Length}, expected {Dimension}");
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i])) throw new ArgumentException($"{what}[{i}] is {x[i]}; it must be a finite number");
    }

    public bool Equals(BoxSpace? other) =>
        other is not null && Low.AsSpan().SequenceEqual(other.Low) && High.AsSpan().SequenceEqual(other.High);

    public override int GetHashCode() => HashCode.Combine(Dimension, Low.Length > 0 ? Low[0] : 0, High.Length > 0 ? High[0] : 0);

    public override string ToString() => $"Box({Dimension})";
}
