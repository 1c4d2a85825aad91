namespace Robotics.Core.Wrappers;

/// <summary>Per-dimension running mean and variance by Chan's parallel update (as SB3's RunningMeanStd).</summary>
public sealed class RunningMeanStd(int dimension)
{
    public double[] Mean { get; } = new double[dimension];
    public double[] Var { get; } = Enumerable.Repeat(1.0, dimension).ToArray();
    /// <summary>Starts at a tiny count so the first update is not divided by zero (SB3's epsilon).</summary>
    public double Count { get; set; } = 1e-4;

    public void Update(ReadOnlySpan<float> x)
    {
        if (x.Length != Mean.Length) throw new ArgumentException($"expected {Mean.Length} numbers, got {x.Length}");
        double total = Count + 1;
        for (int i = 0; i < x.Length; i++)
        {
            double delta = x[i] - Mean[i];
            Mean[i] += delta / total;
            double m2 = Var[i] * Count + delta * delta * Count / total;
            Var[i] = m2 / total;
        }
        Count = total;
    }

    public void Normalize(ReadOnlySpan<float> x, Span<float> output, double clip = 10.0, double epsilon = 1e-8)
    {
        for (int i = 0; i < x.Length; i++)
            output[i] = (float)Math.Clamp((x[i] - Mean[i]) / Math.Sqrt(Var[i] + epsilon), -clip, clip);
    }
}
