namespace Robotics.Cli.Reports;

/// <summary>
/// An axis range extended to "nice" tick values: the tick step is 1, 2 or 5 times a power of ten, and the ends
/// are whole multiples of the step, so a reader can interpolate between labels in their head.
/// </summary>
public sealed record AxisScale(double Min, double Max, double Step)
{
    /// <summary>The tick values from Min to Max, each computed as k·Step (not by repeated addition, which drifts).</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            long first = (long)Math.Round(Min / Step), last = (long)Math.Round(Max / Step);
            var ticks = new List<double>();
            for (long k = first; k <= last; k++) ticks.Add(k * Step + 0.0); // + 0.0 turns -0 into 0
            return ticks;
        }
    }

    /// <summary>Where a value falls on the axis: 0 at Min, 1 at Max. Halved before subtracting so that an axis
    /// spanning nearly the whole double range does not overflow to ∞.</summary>
    public double Fraction(double value) => (value / 2 - Min / 2) / (Max / 2 - Min / 2);

    /// <summary>
    /// A scale covering [lo, hi] with about <paramref name="targetTicks"/> ticks. A zero-width range (one point, a
    /// constant series) is widened first, so the axis always has a non-zero span and no coordinate divides by zero.
    /// </summary>
    public static AxisScale Nice(double lo, double hi, int targetTicks = 6)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) throw new ArgumentException($"axis range must be finite, got [{lo}, {hi}]");
        if (lo > hi) (lo, hi) = (hi, lo);
        if (targetTicks < 2) throw new ArgumentException($"an axis needs at least 2 ticks, got {targetTicks}");
        if (hi - lo <= Math.Abs(hi) * 1e-12 || hi == lo)
        {
            // ±10% of the value, or ±1 around zero: a constant loss of 0.5 reads as 0.45…0.55, not as a spike.
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = NiceStep((hi / 2 - lo / 2) * 2 / (targetTicks - 1));
        double min = Math.Floor(lo / step) * step, max = Math.Ceiling(hi / step) * step;
        return new AxisScale(Clamp(min), Clamp(max), step);
    }

    /// <summary>
    /// The 1, 2 or 5 (times a power of ten) nearest to <paramref name="rough"/> (Heckbert's "nice numbers", Graphics
    /// Gems 1990): rounding rather than rounding up keeps the tick count near the target (0…1 in 5 ticks: 0.2, not 0.5).
    /// </summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough)) throw new ArgumentException($"a tick step must be positive and finite, got {rough}");
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double residual = rough / magnitude;
        double nice = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10;
        return nice * magnitude;
    }

    private static double Clamp(double v) => Math.Clamp(v, -double.MaxValue, double.MaxValue);
}
