using System.Diagnostics;
using NUnit.Framework;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Logging;
using Robotics.Agents.Training;

namespace Robotics.Agents.Tests;

/// <summary>Keeping the best evaluated policy (SB3's EvalCallback) and ending with it (final_policy: best).</summary>
public class BestPolicyTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("robotics-best-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Steers the point to the origin while <see cref="Skilled"/>, stands still otherwise: a policy whose quality a test can switch.</summary>
    private sealed class SwitchablePolicy : IPolicy
    {
        public bool Skilled { get; set; } = true;
        public int ObservationSize => 2;
        public int ActionSize => 2;

        public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic)
        {
            for (int i = 0; i < 2; i++) action[i] = Skilled ? Math.Clamp(-10 * observation[i], -1, 1) : 0;
        }
    }

    private TrainingContext Context(MetricsLogger logger, bool loadBest, string? resume = null) => new()
    {
        MakeEnv = () => new PointEnv(), RunDirectory = _dir, Logger = logger, Seed = 3, EvalEpisodes = 10,
        FinalVideo = false, LoadBestAtEnd = loadBest, ResumeFrom = resume,
    };

    /// <summary>Saves to the path what the policy is (skilled or not), as a checkpoint would hold its weights.</summary>
    private static void Keep(TrainingContext ctx, SwitchablePolicy policy) => ctx.KeepBest(
        save: path => ctx.WriteCheckpoint("sac", path, writer => writer.Set("skilled", policy.Skilled ? 1 : 0)),
        load: path => { using var reader = CheckpointReader.Open(path, "sac"); policy.Skilled = reader.GetLong("skilled") == 1; });

    [Test]
    public void TheBestEvaluationIsKeptAndRestoredAtTheEnd()
    {
        using var logger = new MetricsLogger(_dir, tensorBoard: false);
        var ctx = Context(logger, loadBest: true);
        var policy = new SwitchablePolicy();
        Keep(ctx, policy);

        var good = ctx.Evaluate(policy, step: 100);
        policy.Skilled = false;
        var bad = ctx.Evaluate(policy, step: 200);
        Assert.That(good.SuccessRate, Is.EqualTo(1.0));
        Assert.That(bad.SuccessRate, Is.LessThan(0.5));
        Assert.That(ctx.Best, Is.EqualTo(new BestEvaluation(100, good.SuccessRate, good.MeanReturn)), "a worse evaluation does not replace the best");
        Assert.That(File.Exists(ctx.BestCheckpointPath), Is.True);
        Assert.That(File.Exists(ctx.LatestCheckpointPath), Is.False, "best.ckpt leaves latest.ckpt alone");

        var summary = ctx.Finish("sac", policy, step: 200, startStep: 0, Stopwatch.StartNew(), interrupted: false, lastCheckpoint: null,
                                 writeCheckpoint: path => ctx.WriteCheckpoint("sac", path, writer => writer.Set("skilled", 0)));
        Assert.That(policy.Skilled, Is.True, "the best policy was restored");
        Assert.That(summary.PolicyStep, Is.EqualTo(100));
        Assert.That(summary.FinalEvaluation!.SuccessRate, Is.EqualTo(1.0), "the skilled policy succeeds on the held-out episodes too");
        Assert.That(summary.FinalEvaluation.Episodes.Select(e => e.Seed), Is.All.GreaterThanOrEqualTo(3 + TrainingContext.HeldOutSeedOffset),
            "the kept policy is reported on episodes it was not chosen on");
        Assert.That(summary.FinalEvaluation.MeanReturn, Is.Not.EqualTo(good.MeanReturn), "other episodes, other return");
        Assert.That((summary.BestStep, summary.BestSuccessRate), Is.EqualTo(((long?)100, (double?)1.0)));
        logger.Flush();
        var rows = File.ReadLines(Path.Combine(_dir, "metrics.csv")).Select(l => l.Split(',')).ToList();
        Assert.That(rows.Where(r => r[2] == "eval/success_rate").Select(r => r[0]), Is.EqualTo(new[] { "100", "200" }),
            "the eval/ curve stays the scheduled evaluations of the policies as they were");
        Assert.That(rows.Single(r => r[2] == "eval_kept_policy/step")[3], Is.EqualTo("100"));
    }

    [Test]
    public void WithFinalPolicyLastTheRunEndsWithTheLastPolicyButStillKeepsTheBest()
    {
        using var logger = new MetricsLogger(_dir, tensorBoard: false);
        var ctx = Context(logger, loadBest: false);
        var policy = new SwitchablePolicy();
        Keep(ctx, policy);
        ctx.Evaluate(policy, step: 100);
        policy.Skilled = false;
        var bad = ctx.Evaluate(policy, step: 200);
        var summary = ctx.Finish("sac", policy, step: 200, startStep: 0, Stopwatch.StartNew(), interrupted: false, lastCheckpoint: null,
                                 writeCheckpoint: path => ctx.WriteCheckpoint("sac", path, writer => writer.Set("skilled", 0)));
        Assert.That(policy.Skilled, Is.False);
        Assert.That(summary.PolicyStep, Is.EqualTo(200));
        Assert.That(summary.FinalEvaluation!.SuccessRate, Is.EqualTo(bad.SuccessRate), "the scheduled evaluation of the last step is reused");
        Assert.That(summary.BestStep, Is.EqualTo(100));
    }

    [Test]
    public void AResumedRunKnowsTheBestItsBestCheckpointRecords()
    {
        var policy = new SwitchablePolicy();
        using (var logger = new MetricsLogger(_dir, tensorBoard: false))
        {
            var first = Context(logger, loadBest: true);
            Keep(first, policy);
            first.Evaluate(policy, step: 100);
        }
        using (var logger = new MetricsLogger(_dir, tensorBoard: false))
        {
            var fresh = Context(logger, loadBest: true);
            Keep(fresh, policy);
            Assert.That(fresh.Best, Is.Null, "a new run in the same directory starts without a best");
        }
        using (var logger = new MetricsLogger(_dir, tensorBoard: false))
        {
            var resumed = Context(logger, loadBest: true, resume: Path.Combine(_dir, "checkpoints", "latest.ckpt"));
            Keep(resumed, policy);
            Assert.That(resumed.Best?.Step, Is.EqualTo(100));
            Assert.That(resumed.Best?.SuccessRate, Is.EqualTo(1.0));
            policy.Skilled = false;
            resumed.Evaluate(policy, step: 300);
            Assert.That(resumed.Best?.Step, Is.EqualTo(100), "a worse evaluation after resuming does not overwrite best.ckpt");
        }
    }
}
