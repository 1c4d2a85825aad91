using System.Numerics;
using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Preferences.Transfer;
using static Robotics.Rewards.Tests.PreferencesSynthetic;

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

    [Test]
    public void TransportedPreferencesFollowThePlan()
    {
        // Source preferences of 3 segments: 2 ≻ 1 ≻ 0.
        var y = new double[3, 3] { { 0.5, 1, 1 }, { 0, 0.5, 1 }, { 0, 0, 0.5 } };
        // A permutation plan (target j is source perm[j]) carries them over exactly.
        int[] perm = [2, 0, 1];
        var plan = new double[3, 3];
        for (int j = 0; j < 3; j++) plan[perm[j], j] = 1.0 / 3;
        var target = CrossTaskTransfer.TransportPreferences(plan, y);
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                Assert.That(target[j, k], Is.EqualTo(y[perm[j], perm[k]]).Within(1e-12));
        // A target segment coupled half to source 0 and half to source 2 sits between them.
        var withSelf = CrossTaskTransfer.TransportPreferences(new double[3, 2] { { 0.5, 0 }, { 0, 0 }, { 0.5, 1.0 } }, y);
        Assert.That(withSelf[0, 1], Is.EqualTo(0.5 * y[0, 2] + 0.5 * y[2, 2]).Within(1e-12));
        Assert.That(CrossTaskTransfer.ToLabel(0.7), Is.EqualTo(Preference.Second));
        Assert.That(CrossTaskTransfer.ToLabel(0.3), Is.EqualTo(Preference.First));
        Assert.That(CrossTaskTransfer.ToLabel(0.52, margin: 0.05), Is.EqualTo(Preference.Equal));
    }

    [Test]
    public void LabelsTransferToAnIsometricTaskAlmostPerfectly()
    {
        // The target task is the source task seen in a rotated, shifted frame: its segments have the same distances
        // between them and the same true returns, but not one shared coordinate. Only the geometry can match them.
        var rng = new Rng(4);
        var trajectories = Trajectories(12, 30, rng);
        var source = Enumerable.Range(0, 60).Select(_ => SegmentSampler.Sample(trajectories, 10, rng)).ToList();
        var rotation = Quaternion.CreateFromYawPitchRoll(0.7f, -0.4f, 1.1f);
        var shift = new Vector3(0.3f, -0.2f, 0.5f);
        var target = source.Select(s => Moved(s, rotation, shift)).ToList();
        var pairs = Enumerable.Range(0, 300).Select(_ => (rng.NextInt(60), rng.NextInt(60))).Where(p => p.Item1 != p.Item2).ToList();

        var teacher = new ScriptedTeacher(new NearGoal(), TeacherConfig.Oracle, new Rng(0));
        var (labels, plan, _) = CrossTaskTransfer.Transfer(source, teacher, target, pairs);
        int matched = Enumerable.Range(0, 60).Count(i => Enumerable.Range(0, 60).MaxBy(j => plan[i, j]) == i);
        int decided = 0, right = 0;
        foreach (var p in labels.Pairs)
        {
            double a = GroundTruth.Return(new NearGoal(), p.A), b = GroundTruth.Return(new NearGoal(), p.B);
            if (Math.Abs(a - b) < 1e-4) continue;
            decided++;
            if (b > a == (p.Label == Preference.Second)) right++;
        }
        TestContext.Out.WriteLine($"segments matched {matched}/60, labels right {right}/{decided}");
        // Segments cut a step apart from one hovering trajectory are near twins, which the plan may swap; the labels
        // they carry are then nearly the same, which is what counts.
        Assert.That(matched, Is.GreaterThanOrEqualTo(45));
        Assert.That(right / (double)decided, Is.GreaterThanOrEqualTo(0.95));
    }

    /// <summary>The segment with every hand and goal position rotated and shifted (distances, and so returns, unchanged).</summary>
    private static Segment Moved(Segment s, Quaternion rotation, Vector3 shift)
    {
        var trajectory = new Trajectory(s.Origin.Policy + "_moved", s.Origin.EpisodeSeed, s.ActionSize);
        for (int t = 0; t < s.Length; t++)
        {
            var state = s.States![t];
            trajectory.Add(state with { Hand = Vector3.Transform(state.Hand, rotation) + shift, Goal = Vector3.Transform(state.Goal, rotation) + shift }, s.Action(t));
        }
        return trajectory.Cut(0, s.Length);
    }
}
