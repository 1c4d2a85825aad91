namespace Robotics.Core.Shaping;

/// <summary>
/// Reward shaping as dm_control (rewards.tolerance) and Meta-World v2 (reward_utils) define it: 1 inside
/// [lower, upper], falling off outside to <c>valueAtMargin</c> at distance <c>margin</c>, along a chosen sigmoid.
/// Task rewards and generated reward programs both use these, so their scales agree.
/// </summary>
public static class Tolerance
{
    public static double Of(double x, double lower, double upper, double margin = 0, Sigmoid sigmoid = Sigmoid.Gaussian, double valueAtMargin = 0.1)
    {
        if (lower > upper) throw new ArgumentException($"tolerance bounds are reversed: lower {lower} > upper {upper}");
        if (margin < 0) throw new ArgumentOutOfRangeException(nameof(margin), $"margin must be non-negative, got {margin}");
        bool inBounds = lower <= x && x <= upper;
        if (inBounds) return 1.0;
        if (margin == 0) return 0.0;
        double d = (x < lower ? lower - x : x - upper) / margin;
        return Falloff(d, valueAtMargin, sigmoid);
    }

    /// <summary>The sigmoid at normalised distance x, equal to valueAtMargin at x = 1 and 1 at x = 0.</summary>
    public static double Falloff(double x, double valueAtMargin, Sigmoid sigmoid)
    {
        bool openUnit = valueAtMargin > 0 && valueAtMargin < 1;
        bool closedUnit = valueAtMargin >= 0 && valueAtMargin < 1;
        switch (sigmoid)
        {
            case Sigmoid.Gaussian:
                Require(openUnit, valueAtMargin, sigmoid);
                { double s = Math.Sqrt(-2 * Math.Log(valueAtMargin)); return Math.Exp(-0.5 * (x * s) * (x * s)); }
            case Sigmoid.Hyperbolic:
                Require(openUnit, valueAtMargin, sigmoid);
                { double s = Math.Acosh(1 / valueAtMargin); return 1 / Math.Cosh(x * s); }
            case Sigmoid.LongTail:
                Require(openUnit, valueAtMargin, sigmoid);
                { double s = Math.Sqrt(1 / valueAtMargin - 1); return 1 / ((x * s) * (x * s) + 1); }
            case Sigmoid.Reciprocal:
                Require(openUnit, valueAtMargin, sigmoid);
                { double s = 1 / valueAtMargin - 1; return 1 / (Math.Abs(x) * s + 1); }
            case Sigmoid.Cosine:
                Require(closedUnit, valueAtMargin, sigmoid);
                { double s = Math.Acos(2 * valueAtMargin - 1) / Math.PI, sx = x * s; return Math.Abs(sx) < 1 ? (1 + Math.Cos(Math.PI * sx)) / 2 : 0; }
            case Sigmoid.Linear:
                Require(closedUnit, valueAtMargin, sigmoid);
                { double sx = x * (1 - valueAtMargin); return Math.Abs(sx) < 1 ? 1 - sx : 0; }
            case Sigmoid.Quadratic:
                Require(closedUnit, valueAtMargin, sigmoid);
                { double sx = x * Math.Sqrt(1 - valueAtMargin); return Math.Abs(sx) < 1 ? 1 - sx * sx : 0; }
            case Sigmoid.TanhSquared:
                Require(closedUnit, valueAtMargin, sigmoid);
                { double s = Math.Atanh(Math.Sqrt(1 - valueAtMargin)), t = Math.Tanh(x * s); return 1 - t * t; }
            default:
                throw new ArgumentOutOfRangeException(nameof(sigmoid), sigmoid, "unknown sigmoid");
        }
    }

    private static void Require(bool ok, double valueAtMargin, Sigmoid sigmoid)
    {
        if (!ok) throw new ArgumentOutOfRangeException(nameof(valueAtMargin), $"valueAtMargin {valueAtMargin} is outside the range the {sigmoid} sigmoid accepts");
    }

    /// <summary>Meta-World's fuzzy AND of two rewards in [0, 1]: high only when both are.</summary>
    public static double HamacherProduct(double a, double b)
    {
        if (a < 0 || a > 1 || b < 0 || b > 1) throw new ArgumentOutOfRangeException(nameof(a), $"Hamacher product takes values in [0, 1], got {a} and {b}");
        double denominator = a + b - a * b;
        return denominator > 0 ? a * b / denominator : 0;
    }
}
