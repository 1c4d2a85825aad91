using NUnit.Framework;
using Robotics.Torch.Benchmarks;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class SeedingTests
{
    [Test]
    public void SameSeedSameRandomStreams()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var a = (randn(100).ToArray<float>(), rand(5).ToArray<float>(), randint(0, 1000, [5]).ToArray<long>());
        manual_seed(42);
        var b = (randn(100).ToArray<float>(), rand(5).ToArray<float>(), randint(0, 1000, [5]).ToArray<long>());
        Assert.That(b.Item1, Is.EqualTo(a.Item1));
        Assert.That(b.Item2, Is.EqualTo(a.Item2));
        Assert.That(b.Item3, Is.EqualTo(a.Item3));
        manual_seed(43);
        Assert.That(randn(100).ToArray<float>(), Is.Not.EqualTo(a.Item1));
    }

    [Test]
    public void SameSeedSameInitAndSameTraining()
    {
        static float[] Run()
        {
            using var scope = NewDisposeScope();
            using var sac = new SacUpdateBenchmark(batch: 32, hidden: 32, seed: 9);
            for (int i = 0; i < 5; i++) sac.Step();
            return sac.Actor.parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        }
        Assert.That(Run(), Is.EqualTo(Run()), "five SAC updates from the same seed are bit-identical on CPU");
    }
}
