using NUnit.Framework;
using Robotics.Core.Envs;
using Robotics.Core.Wrappers;

namespace Robotics.Core.Tests;

public class WrapperTests
{
    [Test]
    public void TimeLimitTruncatesAndDoesNotTerminate()
    {
        using var env = new TimeLimit(new PointMassEnv(), 5);
        env.Reset(1);
        StepResult r = default;
        for (int i = 0; i < 5; i++) { r = env.Step([0f, 0f]); Assert.That(r.Truncated, Is.EqualTo(i == 4)); }
        Assert.That(r.Terminated, Is.False);
        env.Reset();
        Assert.That(env.Step([0f, 0f]).Truncated, Is.False);
    }

    [Test]
    public void RescaleActionMapsTheUnitBoxOntoTheInnerBounds()
    {
        var inner = new PointMassEnv();
        using var env = new RescaleAction(inner, -1, 1);
        var before = env.Reset(3).Observation;
        var after = env.Step([1f, -1f]).Observation;
        Assert.That(after[0] - before[0], Is.EqualTo(0.1f).Within(1e-6));
        Assert.That(after[1] - before[1], Is.EqualTo(-0.1f).Within(1e-6));
        var e = Assert.Throws<ArgumentException>(() => env.Step([float.NaN, 0f]));
        Assert.That(e!.Message, Does.Contain("finite"));
        Assert.Throws<ArgumentException>(() => env.Step([0f]));
    }

    [Test]
    public void NormalizeObservationConvergesToZeroMeanUnitVariance()
    {
        using var env = new NormalizeObservation(new TimeLimit(new PointMassEnv(), 1));
        var all = new List<float[]>();
        for (int i = 0; i < 3000; i++) all.Add(env.Reset(i).Observation);
        var last = all.Skip(1000).ToList();
        double mean = last.Average(o => o[0]);
        double var = last.Average(o => (o[0] - mean) * (o[0] - mean));
        Assert.That(mean, Is.EqualTo(0).Within(0.1));
        Assert.That(var, Is.EqualTo(1).Within(0.15));
        // Uniform(-1,1) has variance 1/3: the running statistic must have found it.
        Assert.That(env.Statistics.Var[0], Is.EqualTo(1.0 / 3).Within(0.03));
    }

    [Test]
    public void FrameStackKeepsTheLastKObservationsOldestFirst()
    {
        using var env = new FrameStack(new PointMassEnv(), 3);
        Assert.That(env.ObservationSpace.Dimension, Is.EqualTo(12));
        var first = env.Reset(2).Observation;
        Assert.That(first[..4], Is.EqualTo(first[8..]));
        var s1 = env.Step([0.1f, 0f]).Observation;
        var s2 = env.Step([0.1f, 0f]).Observation;
        Assert.That(s2[..4], Is.EqualTo(s1[4..8]));
        Assert.That(s2[4..8], Is.EqualTo(s1[8..]));
        Assert.That(s2[8] - s2[4], Is.EqualTo(0.1f).Within(1e-6));
    }

    [Test]
    public void EpisodeStatisticsAppearOnTheLastStepOnly()
    {
        using var env = new RecordEpisodeStatistics(new TimeLimit(new PointMassEnv(), 4));
        env.Reset(0);
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            var r = env.Step([0f, 0f]);
            sum += r.Reward;
            Assert.That(r.Info.ContainsKey(RecordEpisodeStatistics.ReturnKey), Is.EqualTo(i == 3));
            if (i == 3)
            {
                Assert.That(r.Info[RecordEpisodeStatistics.ReturnKey], Is.EqualTo(sum).Within(1e-12));
                Assert.That(r.Info[RecordEpisodeStatistics.LengthKey], Is.EqualTo(4));
            }
        }
    }

    [Test]
    public void RecordVideoWritesTheTriggeredEpisodes()
    {
        var dir = Directory.CreateTempSubdirectory("rv").FullName;
        var env = new RecordVideo(new TimeLimit(new PointMassEnv(), 6), dir, ep => ep % 2 == 0);
        for (int ep = 0; ep < 3; ep++)
        {
            env.Reset(ep);
            while (!env.Step([0.05f, 0f]).Done) { }
        }
        env.Dispose();
        Assert.That(env.Written.Select(Path.GetFileName), Is.EqualTo(new[] { "rl-video-episode-0.mp4", "rl-video-episode-2.mp4" }));
        Assert.That(new FileInfo(env.Written[0]).Length, Is.GreaterThan(0));
    }

    [Test]
    public void UnwrapFindsTheInnerEnv()
    {
        var inner = new PointMassEnv();
        using var env = new RecordEpisodeStatistics(new TimeLimit(inner, 3));
        Assert.That(EnvWrapper.Unwrap<PointMassEnv>(env), Is.SameAs(inner));
        Assert.That(EnvWrapper.Unwrap<TimeLimit>(env), Is.Not.Null);
        Assert.That(EnvWrapper.Unwrap<FrameStack>(env), Is.Null);
    }
}
