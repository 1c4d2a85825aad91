using NUnit.Framework;
using Robotics.Core.Shaping;

namespace Robotics.Core.Tests;

public class ToleranceTests
{
    [TestCase(Sigmoid.Gaussian)]
    [TestCase(Sigmoid.Hyperbolic)]
    [TestCase(Sigmoid.LongTail)]
    [TestCase(Sigmoid.Reciprocal)]
    [TestCase(Sigmoid.Cosine)]
    [TestCase(Sigmoid.Linear)]
    [TestCase(Sigmoid.Quadratic)]
    [TestCase(Sigmoid.TanhSquared)]
    public void EveryShapeIsOneInsideAndValueAtMarginAtTheMargin(Sigmoid s)
    {
        Assert.That(Tolerance.Of(0.3, 0, 0.5, margin: 1, s), Is.EqualTo(1));
        Assert.That(Tolerance.Of(1.5, 0, 0.5, margin: 1, s, valueAtMargin: 0.1), Is.EqualTo(0.1).Within(1e-12));
        Assert.That(Tolerance.Of(-1, 0, 0.5, margin: 1, s, valueAtMargin: 0.1), Is.EqualTo(0.1).Within(1e-12));
        // Monotone falloff away from the bounds.
        Assert.That(Tolerance.Of(0.7, 0, 0.5, 1, s), Is.GreaterThan(Tolerance.Of(1.0, 0, 0.5, 1, s)));
    }

    [Test]
    public void ZeroMarginIsAnIndicator()
    {
        Assert.That(Tolerance.Of(0.05, 0, 0.05), Is.EqualTo(1));
        Assert.That(Tolerance.Of(0.0500001, 0, 0.05), Is.EqualTo(0));
    }

    [Test]
    public void KnownValues()
    {
        // long_tail: 1 / ((d·sqrt(1/v − 1))² + 1); at d = 2, v = 0.1 → 1 / (4·9 + 1)
        Assert.That(Tolerance.Of(2.5, 0, 0.5, 1, Sigmoid.LongTail), Is.EqualTo(1.0 / 37).Within(1e-12));
        Assert.That(Tolerance.HamacherProduct(1, 0.4), Is.EqualTo(0.4).Within(1e-12));
        Assert.That(Tolerance.HamacherProduct(0.5, 0.5), Is.EqualTo(0.25 / 0.75).Within(1e-12));
        Assert.That(Tolerance.HamacherProduct(0, 0), Is.EqualTo(0));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Tolerance.Of(0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.Of(0, 0, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.Of(2, 0, 1, 1, Sigmoid.Gaussian, valueAtMargin: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.HamacherProduct(1.5, 0));
    }
}
