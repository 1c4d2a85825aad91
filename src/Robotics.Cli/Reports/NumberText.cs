using System.Globalization;

namespace Robotics.Cli.Reports;

/// <summary>How numbers read in plots and tables: steps as 10k / 1.5M, values with as many decimals as they need.</summary>
public static class NumberText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A step count with an SI suffix: 500, 10k, 1.5M, 2G. Up to three significant decimals survive (12.5k).</summary>
    public static string Steps(double steps)
    {
        double a = Math.Abs(steps);
        var (scale, suffix) = a >= 1e9 ? (1e9, "G") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "k") : (1, "");
        return (Math.Round(steps / scale, 3) + 0.0).ToString("0.###", Invariant) + suffix;
    }

    /// <summary>
    /// A tick label on a value axis whose ticks are <paramref name="step"/> apart: just enough decimals to tell
    /// neighbouring ticks apart (0.05 → two), SI suffixes for large values, exponents for tiny ones.
    /// </summary>
    public static string Tick(double value, double step)
    {
        value += 0.0;
        if (Math.Abs(step) >= 1000) return Steps(value);
        if (Math.Abs(step) < 1e-3) return Math.Abs(value) < step / 2 ? "0" : value.ToString("0.##e0", Invariant);
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        return Math.Round(value, decimals).ToString("F" + decimals, Invariant);
    }

    /// <summary>A value in a table: four significant digits, an exponent only for very large or very small magnitudes.</summary>
    public static string Value(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        double a = Math.Abs(value);
        if (a == 0) return "0";
        if (a >= 1e6 || a < 1e-3) return value.ToString("0.###e0", Invariant);
        int decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(a)), 0, 6);
        return (Math.Round(value, decimals) + 0.0).ToString("0." + new string('#', Math.Max(decimals, 1)), Invariant);
    }

    /// <summary>An SVG coordinate: two decimals are far below a pixel, and invariant culture keeps the decimal point.</summary>
    public static string Coordinate(double v)
    {
        if (!double.IsFinite(v)) throw new ArgumentException($"an SVG coordinate must be finite, got {v}");
        return (Math.Round(v, 2) + 0.0).ToString("0.##", Invariant);
    }
}
