using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Teachers;
using static Robotics.Rewards.Tests.PreferencesSynthetic;

namespace Robotics.Rewards.Tests;

/// <summary>B-Pref's scripted teachers: each irrationality does what the paper says, and only that.</summary>
public class PreferencesTeacherTests
{
    private static List<(Segment A, Segment B)> RandomPairs(int count, int seed, int length = 10)
    {
        var rng = new Rng(seed);
        var trajectories = Trajectories(40, 30, rng);
        return SegmentSampler.SamplePairs(trajectories, count, length, rng);
    }

    private static ScriptedTeacher Teacher(TeacherConfig config, int seed = 1) => new(new NearGoal(), config, new Rng(seed));

    private static (double A, double B) Returns((Segment A, Segment B) pair) =>
        (GroundTruth.Return(new NearGoal(), pair.A), GroundTruth.Return(new NearGoal(), pair.B));

    [Test]
    public void PresetsHaveBPrefsParameters()
    {
        Assert.That(TeacherConfig.Preset("oracle"), Is.EqualTo(new TeacherConfig(Beta: -1, Gamma: 1, Mistake: 0, Skip: 0, Equal: 0)));
        Assert.That(TeacherConfig.Preset("noisy"), Is.EqualTo(new TeacherConfig(Beta: 1)));
        Assert.That(TeacherConfig.Preset("mistake"), Is.EqualTo(new TeacherConfig(Mistake: 0.1)));
        Assert.That(TeacherConfig.Preset("skip"), Is.EqualTo(new TeacherConfig(Skip: 0.1)));
        Assert.That(TeacherConfig.Preset("myopic"), Is.EqualTo(new TeacherConfig(Gamma: 0.9)));
        Assert.That(TeacherConfig.Preset("equal"), Is.EqualTo(new TeacherConfig(Equal: 0.1)));
        Assert.That(TeacherConfig.PresetNames, Has.Count.EqualTo(6));
        Assert.Throws<ArgumentException>(() => TeacherConfig.Preset("psychic"));
        Assert.Throws<ArgumentException>(() => Teacher(new TeacherConfig(Gamma: 0)));
        Assert.Throws<ArgumentException>(() => Teacher(new TeacherConfig(Mistake: 1.5)));
    }

    [Test]
    public void OracleAlwaysPrefersTheHigherTrueReturn()
    {
        var pairs = RandomPairs(1000, 3);
        var labels = Teacher(TeacherConfig.Oracle).Label(pairs);
        for (int i = 0; i < pairs.Count; i++)
        {
            var (a, b) = Returns(pairs[i]);
            var expected = a == b ? Preference.Equal : b > a ? Preference.Second : Preference.First;
            Assert.That(labels[i], Is.EqualTo(expected), $"pair {i}: returns {a} and {b}");
        }
        Assert.That(labels.Count(l => l == Preference.First), Is.GreaterThan(300));
        Assert.That(labels.Count(l => l == Preference.Second), Is.GreaterThan(300));
    }

    [Test]
    public void MistakeTeacherFlipsAtRateEpsilon()
    {
        var pairs = RandomPairs(4000, 5);
        var oracle = Teacher(TeacherConfig.Oracle).Label(pairs);
        var mistaken = Teacher(TeacherConfig.MistakePreset, seed: 9).Label(pairs);
        double flipped = oracle.Zip(mistaken).Count(p => p.First != p.Second) / (double)pairs.Count;
        // Binomial(4000, 0.1): std 0.0047, so ±0.02 is over 4 std.
        Assert.That(flipped, Is.EqualTo(0.1).Within(0.02));
        Assert.That(mistaken, Has.None.EqualTo(Preference.Skip));
    }

    [Test]
    public void NoisyTeacherFollowsTheBradleyTerryProbability()
    {
        // Returns 1 and 2 under hand-x reward: P(second) = σ(β·(2 − 1)) = σ(1) ≈ 0.731.
        var a = WithRewards(0.5f, 0.5f);
        var b = WithRewards(1f, 1f);
        var pairs = Enumerable.Repeat((a, b), 4000).ToList();
        var labels = new ScriptedTeacher(new HandX(), TeacherConfig.Noisy, new Rng(2)).Label(pairs);
        double second = labels.Count(l => l == Preference.Second) / (double)labels.Length;
        Assert.That(second, Is.EqualTo(1 / (1 + Math.Exp(-1))).Within(0.025));
    }

    [Test]
    public void SkipTeacherSkipsOnlyWhenBothReturnsAreUnderTheThreshold()
    {
        // margin 10 → skip threshold 0.1·10 = 1: skipped when max(R_A, R_B) <= 1.
        var teacher = new ScriptedTeacher(new HandX(), TeacherConfig.SkipPreset, new Rng(0)) { Margin = 10 };
        var low = WithRewards(0.2f, 0.3f);       // 0.5
        var edge = WithRewards(0.5f, 0.5f);      // 1.0: not above the threshold
        var high = WithRewards(0.6f, 0.6f);      // 1.2
        var labels = teacher.Label([(low, edge), (edge, low), (low, high), (high, low)]);
        Assert.That(labels, Is.EqualTo(new[] { Preference.Skip, Preference.Skip, Preference.Second, Preference.First }));
    }

    [Test]
    public void EqualTeacherCallsCloseReturnsEqual()
    {
        // margin 10 → equal threshold 1: |R_A − R_B| < 1 is "equal".
        var teacher = new ScriptedTeacher(new HandX(), TeacherConfig.EqualPreset, new Rng(0)) { Margin = 10 };
        var a = WithRewards(2f, 2f);             // 4
        var close = WithRewards(2.4f, 2.4f);     // 4.8
        var far = WithRewards(2.6f, 2.6f);       // 5.2
        Assert.That(teacher.Label([(a, close), (close, a), (a, far), (far, a)]),
            Is.EqualTo(new[] { Preference.Equal, Preference.Equal, Preference.Second, Preference.First }));
        // Margin taken from the queried segments when not set: mean return 4.4 → threshold 0.44.
        var unset = new ScriptedTeacher(new HandX(), TeacherConfig.EqualPreset, new Rng(0));
        Assert.That(unset.Label([(a, close)]), Is.EqualTo(new[] { Preference.Second }));
    }

    [Test]
    public void MyopicTeacherWeighsLateStepsMore()
    {
        Assert.That(GroundTruth.Return([1, 0, 0], 0.9), Is.EqualTo(0.81).Within(1e-12));
        Assert.That(GroundTruth.Return([0, 1, 0], 0.9), Is.EqualTo(0.9).Within(1e-12));
        Assert.That(GroundTruth.Return([0, 0, 1], 0.9), Is.EqualTo(1).Within(1e-12));

        // A earns more in total (10 vs 9) but early; over 10 steps γ = 0.9 weighs A's first step 0.9⁹ ≈ 0.39.
        var early = WithRewards(10, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var late = WithRewards(0, 0, 0, 0, 0, 0, 0, 0, 0, 9);
        Assert.That(new ScriptedTeacher(new HandX(), TeacherConfig.Oracle, new Rng(0)).Label([(early, late)]), Is.EqualTo(new[] { Preference.First }));
        Assert.That(new ScriptedTeacher(new HandX(), TeacherConfig.Myopic, new Rng(0)).Label([(early, late)]), Is.EqualTo(new[] { Preference.Second }));
    }

    [Test]
    public void ExactTiesAreEqualForEveryTeacher()
    {
        var a = WithRewards(1, 2);
        var b = WithRewards(2, 1);
        foreach (var name in TeacherConfig.PresetNames.Where(n => n != "myopic"))
            Assert.That(new ScriptedTeacher(new HandX(), TeacherConfig.Preset(name), new Rng(0)).Label([(a, b)]), Is.EqualTo(new[] { Preference.Equal }), name);
        // The myopic teacher sees 0.9·1 + 2 = 2.9 against 0.9·2 + 1 = 2.8: no tie for it.
        Assert.That(new ScriptedTeacher(new HandX(), TeacherConfig.Myopic, new Rng(0)).Label([(a, b)]), Is.EqualTo(new[] { Preference.First }));
    }
}
