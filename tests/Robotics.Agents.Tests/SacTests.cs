using NUnit.Framework;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Logging;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Envs;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Tests;

[TestFixture]
public class SacTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("robotics-sac-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static readonly SacConfig Small = new() { Hidden = 64, BatchSize = 64, LearningStarts = 200, BufferSize = 10_000 };

    private TrainingSummary Train(SacConfig config, string run, Func<Robotics.Core.Envs.IEnv> makeEnv, string? resume = null,
                                  long checkpointEvery = 500, int evalEpisodes = 1)
    {
        var dir = Path.Combine(_dir, run);
        using var logger = new MetricsLogger(dir);
        return Sac.Sac.Train(config, new TrainingContext
        {
            MakeEnv = makeEnv, RunDirectory = dir, Logger = logger, Seed = 7, EvalEvery = 0, EvalEpisodes = evalEpisodes,
            CheckpointEvery = checkpointEvery, CheckpointReplayBuffer = true, FinalVideo = false, ResumeFrom = resume, LogEvery = 100,
        });
    }

    private static Dictionary<string, float[]> Parameters(string checkpoint)
    {
        using var reader = CheckpointReader.Open(checkpoint, "sac");
        return new[] { "actor", "qf1", "qf2", "qf1_target", "qf2_target" }
            .SelectMany(g => reader.Group(g).Select(kv => ($"{g}.{kv.Key}", kv.Value.ToArray<float>())))
            .Append(("log_alpha", reader.Tensor("log_alpha").ToArray<float>()))
            .ToDictionary(x => x.Item1, x => x.Item2);
    }

    [Test]
    public void TwoThousandStepsEqualOneThousandSavedLoadedAndOneThousandMore()
    {
        // The resume test, on the reach task: 1000 steps = two full 500-step episodes.
        var straight = Train(Small with { TotalSteps = 2000 }, "straight", () => FrankaSuite.Make("reach"));
        var first = Train(Small with { TotalSteps = 1000 }, "first", () => FrankaSuite.Make("reach"));
        var resumed = Train(Small with { TotalSteps = 2000 }, "resumed", () => FrankaSuite.Make("reach"), resume: first.LastCheckpoint);
        Assert.That(straight.Steps, Is.EqualTo(2000));
        Assert.That(resumed.Steps, Is.EqualTo(2000));
        var a = Parameters(straight.LastCheckpoint!);
        var b = Parameters(resumed.LastCheckpoint!);
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, values) in a)
            Assert.That(b[name], Is.EqualTo(values), $"{name} differs after save/load/resume");
    }

    [Test]
    public void WithHerTwoThousandStepsEqualOneThousandSavedLoadedAndOneThousandMore()
    {
        // HER's records and episode bookkeeping travel in the checkpoint's replay buffer, on push (a goal task).
        var her = Small with { HerGoals = 4 };
        var straight = Train(her with { TotalSteps = 2000 }, "her-straight", () => FrankaSuite.Make("push"));
        var first = Train(her with { TotalSteps = 1000 }, "her-first", () => FrankaSuite.Make("push"));
        var resumed = Train(her with { TotalSteps = 2000 }, "her-resumed", () => FrankaSuite.Make("push"), resume: first.LastCheckpoint);
        var a = Parameters(straight.LastCheckpoint!);
        var b = Parameters(resumed.LastCheckpoint!);
        foreach (var (name, values) in a)
            Assert.That(b[name], Is.EqualTo(values), $"{name} differs after resume");
        var plain = Parameters(Train(Small with { TotalSteps = 2000 }, "plain", () => FrankaSuite.Make("push")).LastCheckpoint!);
        var critic = a.Keys.First(k => k.StartsWith("qf1."));
        Assert.That(plain[critic], Is.Not.EqualTo(a[critic]), "relabelled minibatches train other critics");
    }

    [Test]
    public void HerRefusesATaskWithoutAGoalAndARewardThatIsNotTheTasks()
    {
        var her = Small with { HerGoals = 4, TotalSteps = 300 };
        var noGoal = Assert.Throws<ArgumentException>(() => Train(her, "drawer", () => FrankaSuite.Make("drawer-open")))!;
        Assert.That(noGoal.Message, Does.Contain("her_goals").And.Contain("push"));
        var otherReward = Assert.Throws<ArgumentException>(() => Train(her, "shifted", () => new ShiftedReward(FrankaSuite.Make("push"))))!;
        Assert.That(otherReward.Message, Does.Contain("her_goals").And.Contain("step 1"));
    }

    /// <summary>The task's reward plus one: what a reward program or a learned reward looks like to HER.</summary>
    private sealed class ShiftedReward(Robotics.Core.Envs.IEnv inner) : Robotics.Core.Wrappers.EnvWrapper(inner)
    {
        public override Robotics.Core.Envs.StepResult Step(ReadOnlySpan<float> action)
        {
            var r = Inner.Step(action);
            return r with { Reward = r.Reward + 1 };
        }
    }

    [Test]
    public void LearnsToReachTheOriginOnAPointEnv()
    {
        var summary = Train(Small with { TotalSteps = 4000, LearningStarts = 500 }, "point", () => new PointEnv(), evalEpisodes: 10);
        Assert.That(summary.FinalEvaluation!.SuccessRate, Is.GreaterThanOrEqualTo(0.8),
            $"deterministic SAC should steer the point to the origin; return {summary.FinalEvaluation.MeanReturn:F1}");
    }

    [Test]
    public void MixedPrecisionAlsoLearns()
    {
        var summary = Train(Small with { TotalSteps = 4000, LearningStarts = 500, MixedPrecision = true }, "bf16", () => new PointEnv(), evalEpisodes: 10);
        Assert.That(summary.FinalEvaluation!.SuccessRate, Is.GreaterThanOrEqualTo(0.8), $"return {summary.FinalEvaluation.MeanReturn:F1}");
        using var reader = CheckpointReader.Open(summary.LastCheckpoint!, "sac");
        Assert.That(reader.Group("qf1").Values.Select(t => t.dtype), Is.All.EqualTo(Robotics.Torch.ScalarType.Float32), "weights stay float32");
    }

    [Test]
    public void UnderAutocastTheNetworksOutputLayersKeepFloat32Precision()
    {
        // A Q-value of 600.3 from a bfloat16 product would come out as 600 (bfloat16's steps are 4 there).
        using var critic = new Networks.QNetwork(3, 2, 16, 2);
        using var actor = new Networks.TanhGaussianActor(3, 2, 16, 2);
        using (no_grad())
        {
            var (criticWeight, criticBias) = (critic.parameters().SkipLast(1).Last(), critic.parameters().Last());
            criticWeight.zero_();
            criticBias.fill_(600.3);
            var meanHead = actor.named_parameters().Where(p => p.name.StartsWith("mean.")).Select(p => p.parameter).ToArray();
            meanHead[0].zero_();
            meanHead[1].fill_(0.001234); // bfloat16 would round it to 0.001236
        }
        using var scope = NewDisposeScope();
        var obs = randn(5, 3);
        Tensor q, a;
        using (no_grad())
        using (autocast())
        {
            q = critic.call(obs, randn(5, 2));
            a = actor.call(obs);
        }
        Assert.That(q.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(q.ToArray<float>(), Is.All.EqualTo(600.3f).Within(1e-3f));
        Assert.That(a.ToArray<float>(), Is.All.EqualTo((float)Math.Tanh(0.001234)).Within(1e-7f));
    }

    [Test]
    public void ActorLearnerOverlapAlsoLearns()
    {
        var summary = Train(Small with { TotalSteps = 4000, LearningStarts = 500, Overlap = true }, "overlap", () => new PointEnv(), evalEpisodes: 10);
        Assert.That(summary.Steps, Is.EqualTo(4000));
        Assert.That(summary.FinalEvaluation!.SuccessRate, Is.GreaterThanOrEqualTo(0.8), $"return {summary.FinalEvaluation.MeanReturn:F1}");
    }

    [Test]
    public void TrainFrequencyUpdatesInBurstsKeepingTheUpdateToDataRatio()
    {
        // Updates follow step s when s % 8 == 0 and learning has started (step s − 1 ≥ 100): s = 104, 112, …, 400 is
        // 38 bursts of 8 updates, 304 in all (train_freq 1 would make 300: the ratio is the same).
        var summary = Train(Small with { TotalSteps = 400, LearningStarts = 100, TrainFrequency = 8 }, "bursts", () => new PointEnv());
        using (var reader = CheckpointReader.Open(summary.LastCheckpoint!, "sac"))
            Assert.That(reader.GetLong("updates"), Is.EqualTo(304));
        // Losses are due every 100 steps (LogEvery) and logged with the first burst at or after: 200, 304 and 400.
        var lossSteps = File.ReadLines(Path.Combine(_dir, "bursts", "metrics.csv"))
            .Select(line => line.Split(',')).Where(f => f[2] == "losses/qf1_loss").Select(f => long.Parse(f[0]));
        Assert.That(lossSteps, Is.EqualTo(new long[] { 200, 304, 400 }));
    }

    [Test]
    public void AnnealedLearningRatesFallLinearlyToZeroAndResumeExactly()
    {
        // SB3's linear schedule: before the update after step s, lr = lr0 · (1 − (s − 1) / total).
        var config = Small with { TotalSteps = 1000, LearningStarts = 100, AnnealLr = true };
        var straight = Train(config, "anneal", () => new PointEnv());
        var logged = File.ReadLines(Path.Combine(_dir, "anneal", "metrics.csv")).Select(line => line.Split(','))
            .Where(f => f[2] == "charts/learning_rate").ToDictionary(f => long.Parse(f[0]), f => double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(logged.Keys, Is.EqualTo(new long[] { 200, 300, 400, 500, 600, 700, 800, 900, 1000 }));
        foreach (var (step, lr) in logged)
            Assert.That(lr, Is.EqualTo(3e-4 * (1 - (step - 1) / 1000.0)).Within(1e-9), $"step {step}");

        // The schedule is a function of the step, so a run resumed from a mid-run checkpoint anneals exactly as the
        // uninterrupted one did.
        var middle = Directory.GetFiles(Path.Combine(_dir, "anneal", "checkpoints"), "step-*.ckpt").Order().First();
        var resumed = Train(config, "anneal-resumed", () => new PointEnv(), resume: middle);
        Assert.That(resumed.Steps, Is.EqualTo(1000));
        var a = Parameters(straight.LastCheckpoint!);
        var b = Parameters(resumed.LastCheckpoint!);
        foreach (var (name, values) in a)
            Assert.That(b[name], Is.EqualTo(values), $"{name} differs after resuming an annealed run from {Path.GetFileName(middle)}");
    }

    [Test]
    public void CriticResetGivesFreshCriticsAndKeepsTheActor()
    {
        manual_seed(3);
        using var agent = new SacAgent(6, 2, Small);
        using var buffer = new Buffers.ReplayBuffer(256, 6, 2, batchSize: 64);
        var rng = new Robotics.Core.Seeding.Rng(2);
        var (o, a, o2) = (new float[6], new float[2], new float[6]);
        for (int i = 0; i < 256; i++)
        {
            for (int k = 0; k < 6; k++) (o[k], o2[k]) = ((float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1));
            for (int k = 0; k < 2; k++) a[k] = (float)rng.Uniform(-1, 1);
            buffer.Add(o, a, (float)rng.Uniform(0, 10), o2, false);
        }
        for (int u = 0; u < 50; u++) agent.Update(buffer.Sample(rng), u);
        var before = Snapshot(agent, "before");
        agent.ResetCritics();
        var after = Snapshot(agent, "after");
        foreach (var critic in new[] { "qf1", "qf2" })
            foreach (var name in after.Keys.Where(k => k.StartsWith(critic + ".")))
            {
                Assert.That(after[name], Is.Not.EqualTo(before[name]), $"{name} was not re-initialised");
                Assert.That(after[name.Replace(critic + ".", critic + "_target.")], Is.EqualTo(after[name]), $"{critic}'s target starts as a copy of the fresh critic");
            }
        foreach (var name in after.Keys.Where(k => k.StartsWith("actor.") || k == "log_alpha"))
            Assert.That(after[name], Is.EqualTo(before[name]), $"{name}: the actor and temperature keep what they learned");
        using (var reader = CheckpointReader.Open(Path.Combine(_dir, "after.ckpt"), "sac"))
            Assert.That(reader.Group("q_optimizer").Keys.Where(k => k.StartsWith("state.")), Is.Empty, "the critic optimizer starts without Adam moments");
        agent.Update(buffer.Sample(rng), 51); // the fresh optimizer drives the fresh critics
        var firstWeight = after.Keys.First(k => k.StartsWith("qf1."));
        Assert.That(Snapshot(agent, "updated")[firstWeight], Is.Not.EqualTo(after[firstWeight]));
    }

    [Test]
    public void LoopAsksForACriticResetAfterEveryStep()
    {
        var dir = Path.Combine(_dir, "reset");
        using var logger = new MetricsLogger(dir);
        var asked = new List<long>();
        Sac.Sac.Train(Small with { TotalSteps = 300, LearningStarts = 100 }, new TrainingContext
        {
            MakeEnv = () => new PointEnv(), RunDirectory = dir, Logger = logger, Seed = 7, EvalEvery = 0, EvalEpisodes = 1,
            CheckpointEvery = 0, FinalVideo = false, LogEvery = 100,
            CriticReset = step => { asked.Add(step); return step == 150 ? 5 : 0; },
        });
        Assert.That(asked, Is.EqualTo(Enumerable.Range(1, 300).Select(i => (long)i)));
    }

    private Dictionary<string, float[]> Snapshot(SacAgent agent, string name)
    {
        var path = Path.Combine(_dir, name + ".ckpt");
        using (var writer = new CheckpointWriter("sac")) { agent.Save(writer); writer.Save(path); }
        return Parameters(path);
    }

    [Test]
    public void OverlapWithBurstsIsRefusedNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => (Small with { Overlap = true, TrainFrequency = 4 }).Validate())!;
        Assert.That(e.Message, Does.Contain("train_freq: 4").And.Contain("overlap: false"));
        Assert.That(Assert.Throws<ArgumentException>(() => (Small with { TrainFrequency = 0 }).Validate())!.Message, Does.Contain("train_freq"));
        Assert.DoesNotThrow(() => (Small with { Overlap = true }).Validate());
    }

    [Test]
    public void NanLossStopsNamingTheStepAfterSavingTheLastGoodState()
    {
        var e = Assert.Throws<NonFiniteLossException>(() =>
            Train(Small with { TotalSteps = 3000, LearningStarts = 100 }, "nan", () => new PointEnv(nanRewardAtStep: 400)))!;
        // The NaN reward enters the buffer at step 400; the first update that samples it fails.
        Assert.That(e.Step, Is.GreaterThanOrEqualTo(400));
        Assert.That(e.Message, Does.Contain($"step {e.Step}"));
        Assert.That(e.LastGoodCheckpoint, Is.Not.Null);
        Assert.That(File.Exists(e.LastGoodCheckpoint), Is.True);
        foreach (var (name, values) in Parameters(e.LastGoodCheckpoint!))
            Assert.That(values.All(float.IsFinite), Is.True, $"{name} in the last good checkpoint must be finite");
    }

    [Test]
    public void CheckpointFromAnotherAlgorithmIsRefusedNamingBoth()
    {
        var path = Path.Combine(_dir, "ppo.ckpt");
        using (var writer = new CheckpointWriter("ppo")) writer.Set("observation_size", 39).Save(path);
        var e = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(path, "sac"))!;
        Assert.That(e.Message, Does.Contain("ppo").And.Contain("sac"));
    }

    [Test]
    public void CheckpointOfAnotherShapeIsRefusedNamingTheField()
    {
        var path = Path.Combine(_dir, "sac.ckpt");
        using (var agent = new SacAgent(39, 4, Small))
        using (var writer = new CheckpointWriter(SacAgent.AlgorithmName))
        {
            agent.Save(writer);
            writer.Save(path);
        }
        using var other = new SacAgent(39, 4, Small with { Hidden = 32 });
        using var reader = CheckpointReader.Open(path, "sac");
        var e = Assert.Throws<InvalidDataException>(() => other.Load(reader))!;
        Assert.That(e.Message, Does.Contain("hidden = 64").And.Contain("hidden = 32"));
        using var wrongObs = new SacAgent(10, 4, Small);
        Assert.That(Assert.Throws<InvalidDataException>(() => wrongObs.Load(reader))!.Message, Does.Contain("observation_size"));
    }

    [Test]
    public void NotASafetensorsFileGivesAClearError()
    {
        var path = Path.Combine(_dir, "junk.ckpt");
        File.WriteAllText(path, "this is not a checkpoint");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(path, "sac"))!;
        Assert.That(e.Message, Does.Contain("junk.ckpt"));
    }

    [Test]
    public void TrainingWritesMetricsTensorBoardAndCheckpoints()
    {
        var summary = Train(Small with { TotalSteps = 600 }, "logs", () => new PointEnv());
        var dir = Path.Combine(_dir, "logs");
        var csv = File.ReadAllText(Path.Combine(dir, "metrics.csv"));
        foreach (var key in new[] { "losses/qf1_loss", "losses/actor_loss", "losses/alpha", "charts/episodic_return", "charts/SPS", "eval/success_rate" })
            Assert.That(csv, Does.Contain(key));
        Assert.That(Directory.GetFiles(dir, "events.out.tfevents.*"), Has.Length.EqualTo(1));
        Assert.That(File.Exists(Path.Combine(dir, "checkpoints", "latest.ckpt")), Is.True);
        Assert.That(summary.LastCheckpoint, Does.EndWith("step-000000600.ckpt"));
    }
}
