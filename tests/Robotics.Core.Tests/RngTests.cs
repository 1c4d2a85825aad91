using NUnit.Framework;
using Robotics.Core.Seeding;

namespace Robotics.Core.Tests;

public class RngTests
{
    [Test]
    public void SameSeedSameStreamAndStateRestores()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
        var state = a.GetState();
        var expected = Enumerable.Range(0, 10).Select(_ => a.NextDouble()).ToArray();
        var c = new Rng(0);
        c.SetState(state);
        Assert.That(Enumerable.Range(0, 10).Select(_ => c.NextDouble()).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void DistributionsHaveTheRightMoments()
    {
        var rng = new Rng(7);
        var u = Enumerable.Range(0, 200_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.That(u.Average(), Is.EqualTo(0.5).Within(0.005));
        Assert.That(u.Min(), Is.GreaterThanOrEqualTo(0));
        Assert.That(u.Max(), Is.LessThan(1));
        var g = Enumerable.Range(0, 200_000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.That(g.Average(), Is.EqualTo(0).Within(0.01));
        Assert.That(g.Average(x => x * x), Is.EqualTo(1).Within(0.02));
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.That(counts, Has.All.InRange(9_500, 10_500));
    }

    [Test]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(1).NextInt(0));
        Assert.Throws<ArgumentException>(() => new Rng(1).SetState([0, 0, 0, 0]));
        Assert.Throws<ArgumentException>(() => new Rng(1).SetState([1, 2]));
    }
}
