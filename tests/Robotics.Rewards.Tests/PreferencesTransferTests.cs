using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Transfer;

namespace Robotics.Rewards.Tests;

/// <summary>PEARL's cross-task preference alignment: the Gromov–Wasserstein solver and label transport.</summary>
public class PreferencesTransferTests
{
    private static double[,] Distances(double[][] points)
    {
        int n = points.Length;
        var d = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                d[i, j] = Math.Sqrt(points[i].Zip(points[j]).Sum(x => (x.First - x.Second) * (x.First - x.Second)));
        return d;
    }

    [Test]
    public void GromovWassersteinRecoversARandomPermutation()
    {
        var rng = new Rng(0);
        const int n = 120;
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var perm = Enumerable.Range(0, n).OrderBy(_ => rng.NextDouble()).ToArray(); // y[j] = x[perm[j]]
        var y = perm.Select(i => x[i]).ToArray();
        var plan = GromovWasserstein.Solve(Distances(x), Distances(y));
        int matched = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < n; j++) if (plan[i, j] > plan[i, best]) best = j;
            if (perm[best] == i) matched++;
        }
        TestContext.Out.WriteLine($"matched {matched} of {n}");
        Assert.That(matched / (double)n, Is.GreaterThanOrEqualTo(0.99));
        // A coupling: rows sum to 1/n, columns to 1/n.
        for (int i = 0; i < n; i += 17)
        {
            Assert.That(Enumerable.Range(0, n).Sum(j => plan[i, j]), Is.EqualTo(1.0 / n).Within(1e-3 / n));
            Assert.That(Enumerable.Range(0, n).Sum(j => plan[j, i]), Is.EqualTo(1.0 / n).Within(1e-9));
        }
    }
}
