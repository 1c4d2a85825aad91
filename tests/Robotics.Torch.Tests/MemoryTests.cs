using NUnit.Framework;
using Robotics.Torch.Benchmarks;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class MemoryTests
{
    /// <summary>Resident set size of this process, from the kernel (native and managed memory together).</summary>
    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    /// <summary>
    /// 20,000 full SAC updates (the benchmark's step: three optimizers, targets, a 100k replay) at a
    /// small size: with deterministic disposal nothing native may accumulate, so RSS stays flat.
    /// </summary>
    [Test]
    public void TwentyThousandSacUpdatesKeepResidentMemoryFlat()
    {
        if (!File.Exists("/proc/self/status")) Assert.Ignore("needs Linux /proc");
        using var sac = new SacUpdateBenchmark(batch: 64, hidden: 64);
        for (int i = 0; i < 1000; i++) sac.Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = RssBytes();
        for (int i = 0; i < 20_000; i++) sac.Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = RssBytes() - before;
        TestContext.Out.WriteLine($"RSS growth over 20,000 updates: {growth / 1e6:F1} MB");
        Assert.That(growth, Is.LessThan(50L << 20), $"resident memory grew {growth / 1e6:F1} MB");
        Assert.That(DisposeScope.Current, Is.Null, "every step closed its scope");
    }

    [Test]
    public void ScopedLoopsLeaveNothingBehind()
    {
        using var outer = NewDisposeScope();
        var w = randn(64, 64);
        for (int i = 0; i < 1000; i++)
        {
            using var step = NewDisposeScope();
            var y = (w.matmul(w) + 1).relu().sum();
            Assert.That(step.Count, Is.EqualTo(4));
        }
        Assert.That(outer.Count, Is.EqualTo(1), "only w remains");
    }
}
