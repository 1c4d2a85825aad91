using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Logging;
using Robotics.Agents.Ppo;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Core.Wrappers;
using Robotics.Envs;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Tests;

[TestFixture]
public class PpoTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("robotics-ppo-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // ---- rollout buffer ----

    [Test]
    public void GaeMatchesHandComputedExample()
    {
        // 3 steps × 2 envs, γ = 0.9, λ = 0.8. Env 0 is truncated at t = 1 (bootstraps from its final value 10);
        // env 1 is terminated at t = 1 (its final value 100 must be ignored).
        using var buffer = new RolloutBuffer(steps: 3, numEnvs: 2, observationSize: 1, actionSize: 1, minibatchSize: 2);
        float[] finals = [10f, 100f];
        buffer.Add([0, 1], [0, 0], [0, 0], values: [0.5f, 0.2f], rewards: [1, 1], terminated: [false, false], truncated: [false, false], finals);
        buffer.Add([2, 3], [0, 0], [0, 0], values: [0.6f, 0.3f], rewards: [2, 1], terminated: [false, true], truncated: [true, false], finals);
        buffer.Add([4, 5], [0, 0], [0, 0], values: [0.7f, 0.1f], rewards: [3, 1], terminated: [false, false], truncated: [false, false], finals);
        buffer.ComputeReturnsAndAdvantages(lastValues: [0.4f, 0.5f], gamma: 0.9, lambda: 0.8);

        // env 0: δ2 = 3 + 0.9·0.4 − 0.7 = 2.66             A2 = 2.66
        //        δ1 = 2 + 0.9·10 − 0.6 = 10.4 (truncated)   A1 = 10.4 (the recursion stops at the episode end)
        //        δ0 = 1 + 0.9·0.6 − 0.5 = 1.04              A0 = 1.04 + 0.72·10.4 = 8.528
        // env 1: δ2 = 1 + 0.9·0.5 − 0.1 = 1.35              A2 = 1.35
        //        δ1 = 1 + 0 − 0.3 = 0.7 (terminated)        A1 = 0.7
        //        δ0 = 1 + 0.9·0.3 − 0.2 = 1.07              A0 = 1.07 + 0.72·0.7 = 1.574
        float[] expected = [8.528f, 1.574f, 10.4f, 0.7f, 2.66f, 1.35f];
        float[] values = [0.5f, 0.2f, 0.6f, 0.3f, 0.7f, 0.1f];
        Assert.That(buffer.Advantages.ToArray(), Is.EqualTo(expected).Within(1e-5));
        Assert.That(buffer.Returns.ToArray(), Is.EqualTo(expected.Zip(values, (a, v) => a + v).ToArray()).Within(1e-5));
    }

    [Test]
    public void MinibatchesCoverEveryRowOncePerEpoch()
    {
        using var buffer = new RolloutBuffer(steps: 4, numEnvs: 3, observationSize: 2, actionSize: 1, minibatchSize: 4);
        for (int t = 0; t < 4; t++)
        {
            var obs = new float[6];
            for (int i = 0; i < 3; i++) (obs[2 * i], obs[2 * i + 1]) = (t * 3 + i, -(t * 3 + i));
            buffer.Add(obs, [t, t, t], [0, 0, 0], [0, 0, 0], [0, 0, 0], [false, false, false], [false, false, false], [0, 0, 0]);
        }
        buffer.ComputeReturnsAndAdvantages([0, 0, 0], 0.99, 0.95);
        var rng = new Rng(3);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            buffer.Shuffle(rng);
            var seen = new List<float>();
            for (int k = 0; k < buffer.MinibatchCount; k++)
            {
                var mb = buffer.Minibatch(k);
                var o = mb.Observations.ToArray<float>();
                var a = mb.Actions.ToArray<float>();
                for (int b = 0; b < 4; b++)
                {
                    Assert.That(o[2 * b + 1], Is.EqualTo(-o[2 * b]), "a row's numbers stay together");
                    Assert.That(a[b], Is.EqualTo((int)o[2 * b] / 3), "the action belongs to the row's step");
                    seen.Add(o[2 * b]);
                }
            }
            Assert.That(seen.OrderBy(x => x), Is.EqualTo(Enumerable.Range(0, 12).Select(x => (float)x)));
        }
    }

    [Test]
    public void RewardNormalizerFollowsGymnasium()
    {
        var stats = new RunningMeanStd(1);
        var normalizer = new RewardNormalizer(stats, numEnvs: 2, gamma: 0.5, clip: 10);
        var output = new float[2];
        normalizer.Normalize([1.0, 2.0], [false, false], output);
        normalizer.Normalize([1.0, 2.0], [true, false], output);
        // returns: env 0 → 1, then 0.5·0·1 + 1 = 1 (terminated resets); env 1 → 2, then 0.5·2 + 2 = 3
        Assert.That(normalizer.RunningReturns.ToArray(), Is.EqualTo(new[] { 1.0, 3.0 }));
        var reference = new RunningMeanStd(1);
        foreach (var g in new[] { 1f, 2f, 1f, 3f }) reference.Update([g]);
        double scale = 1 / Math.Sqrt(reference.Var[0] + 1e-8);
        Assert.That(output, Is.EqualTo(new[] { (float)(1 * scale), (float)(2 * scale) }).Within(1e-6));
    }

    // ---- agent ----

    [Test]
    public void CheckpointRoundTripRestoresActionsAndStatistics()
    {
        var config = new PpoConfig();
        manual_seed(7);
        using var a = new PpoAgent(5, 2, config);
        var rng = new Rng(1);
        for (int k = 0; k < 100; k++) a.Observe(Enumerable.Range(0, 5).Select(d => (float)(d + rng.NextGaussian())).ToArray());
        a.ReturnStatistics.Update([3f]);
        var path = Path.Combine(_dir, "a.ckpt");
        using (NewDisposeScope())
        using (var w = new CheckpointWriter(PpoAgent.AlgorithmName))
        {
            a.Save(w);
            w.Save(path);
        }
        manual_seed(8);
        using var b = new PpoAgent(5, 2, config);
        using (var r = CheckpointReader.Open(path, PpoAgent.AlgorithmName)) b.Load(r);
        float[] obs = [0.5f, 1, 2, 3, 4], actA = new float[2], actB = new float[2];
        a.Act(obs, actA, deterministic: true);
        b.Act(obs, actB, deterministic: true);
        Assert.That(actB, Is.EqualTo(actA));
        Assert.That(b.ObservationStatistics.Mean, Is.EqualTo(a.ObservationStatistics.Mean));
        Assert.That(b.ObservationStatistics.Count, Is.EqualTo(a.ObservationStatistics.Count));
        Assert.That(b.ReturnStatistics.Var, Is.EqualTo(a.ReturnStatistics.Var));

        using var wide = new PpoAgent(5, 2, config with { Hidden = 32 });
        using var r2 = CheckpointReader.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => wide.Load(r2))!;
        Assert.That(e.Message, Does.Contain("hidden = 64").And.Contain("hidden = 32"));
    }

    [Test]
    public void SacCheckpointIsRefusedByPpoAndViceVersa()
    {
        var sacPath = Path.Combine(_dir, "sac.ckpt");
        var ppoPath = Path.Combine(_dir, "ppo.ckpt");
        using (NewDisposeScope())
        {
            using (var sac = new SacAgent(39, 4, new SacConfig { Hidden = 8, Layers = 1 }))
            using (var w = new CheckpointWriter(SacAgent.AlgorithmName))
            {
                sac.Save(w);
                w.Save(sacPath);
            }
            using (var ppo = new PpoAgent(39, 4, new PpoConfig()))
            using (var w = new CheckpointWriter(PpoAgent.AlgorithmName))
            {
                ppo.Save(w);
                w.Save(ppoPath);
            }
        }

        using var agent = new PpoAgent(39, 4, new PpoConfig());
        using (var reader = CheckpointReader.Open(sacPath))
        {
            var e = Assert.Throws<InvalidDataException>(() => agent.Load(reader))!;
            Assert.That(e.Message, Does.Contain("written by sac").And.Contain("not ppo"));
        }
        // How SAC opens a checkpoint to resume: a PPO one is refused before anything is read.
        var e2 = Assert.Throws<InvalidDataException>(() => CheckpointReader.Open(ppoPath, SacAgent.AlgorithmName).Dispose())!;
        Assert.That(e2.Message, Does.Contain("written by ppo").And.Contain("not sac"));
    }

    // ---- training ----

    private TrainingContext Context(MetricsLogger logger, string dir, int seed = 1, string? resumeFrom = null, Func<IEnv>? makeEnv = null) => new()
    {
        MakeEnv = makeEnv ?? (() => FrankaSuite.Make("reach")),
        RunDirectory = dir,
        Logger = logger,
        Seed = seed,
        EvalEvery = 0,
        EvalEpisodes = 1,
        CheckpointEvery = 512,
        LogEvery = 1,
        FinalVideo = false,
        ResumeFrom = resumeFrom,
    };

    [Test]
    public void ShortRunOnReachLogsMetricsWritesCheckpointsAndResumes()
    {
        // 2 envs × 256 steps × 2 updates: each env finishes one 500-step episode in the second rollout.
        var config = new PpoConfig { TotalSteps = 1024, NumEnvs = 2, NumSteps = 256 };
        TrainingSummary summary;
        using (var logger = new MetricsLogger(_dir, tensorBoard: false)) summary = Ppo.Ppo.Train(config, Context(logger, _dir));

        Assert.That(summary.Algorithm, Is.EqualTo("ppo"));
        Assert.That(summary.Steps, Is.EqualTo(1024));
        Assert.That(summary.Interrupted, Is.False);
        Assert.That(summary.FinalEvaluation!.Episodes, Has.Count.EqualTo(1));
        var ckpts = Path.Combine(_dir, "checkpoints");
        Assert.That(File.Exists(Path.Combine(ckpts, "step-000000512.ckpt")), "checkpoint at the first update boundary");
        Assert.That(File.Exists(Path.Combine(ckpts, "step-000001024.ckpt")));
        Assert.That(summary.LastCheckpoint, Does.EndWith("step-000001024.ckpt"));

        var rows = File.ReadAllLines(Path.Combine(_dir, MetricsLogger.CsvFileName)).Skip(1).Select(l => l.Split(',')).ToList();
        var keys = rows.Select(r => r[2]).ToHashSet();
        foreach (var key in new[] { "charts/episodic_return", "charts/episodic_length", "charts/success", "losses/value_loss", "losses/policy_loss",
                                    "losses/entropy", "losses/approx_kl", "losses/old_approx_kl", "losses/clipfrac", "losses/explained_variance",
                                    "charts/learning_rate", "charts/SPS", "eval/success_rate" })
            Assert.That(keys, Does.Contain(key));
        Assert.That(rows.Where(r => r[2] == "charts/episodic_return").Select(r => r[0]), Is.EqualTo(new[] { "1000", "1000" }),
                    "both envs end their first episode at their 500th step, env step 2·500");
        var lrs = rows.Where(r => r[2] == "charts/learning_rate").Select(r => double.Parse(r[3])).ToArray();
        Assert.That(lrs, Is.EqualTo(new[] { 3e-4, 1.5e-4 }).Within(1e-12), "annealed linearly over the 2 iterations");
        Assert.That(rows.Where(r => r[2].StartsWith("losses/")).All(r => double.IsFinite(double.Parse(r[3]))));

        using (var reader = CheckpointReader.Open(Path.Combine(ckpts, "latest.ckpt"), PpoAgent.AlgorithmName))
        {
            Assert.That(reader.GetLong("env_steps"), Is.EqualTo(1024));
            Assert.That(reader.GetLong("iterations"), Is.EqualTo(2));
            Assert.That(reader.GetLong("updates"), Is.EqualTo(2 * 10 * 32));
            Assert.That(reader.Tensor("obs_rms.count").ToArray<double>()[0], Is.EqualTo(1e-4 + 2 * (1 + 512)).Within(1e-9),
                        "the observation statistics saw every reset and step observation");
        }

        // Resume for one more iteration: counters continue from the checkpoint.
        using (var logger = new MetricsLogger(_dir, tensorBoard: false))
            summary = Ppo.Ppo.Train(config with { TotalSteps = 1536 }, Context(logger, _dir, resumeFrom: Path.Combine(ckpts, "latest.ckpt")));
        Assert.That(summary.Steps, Is.EqualTo(1536));
        using (var reader = CheckpointReader.Open(Path.Combine(ckpts, "latest.ckpt"), PpoAgent.AlgorithmName))
        {
            Assert.That(reader.GetLong("iterations"), Is.EqualTo(3));
            Assert.That(reader.GetLong("updates"), Is.EqualTo(3 * 10 * 32));
        }

        // A different rollout shape cannot resume (the learning-rate schedule and counters depend on it).
        using (var logger = new MetricsLogger(_dir, tensorBoard: false))
        {
            var e = Assert.Throws<InvalidDataException>(() =>
                Ppo.Ppo.Train(config with { NumEnvs = 4, TotalSteps = 4096 }, Context(logger, _dir, resumeFrom: Path.Combine(ckpts, "latest.ckpt"))))!;
            Assert.That(e.Message, Does.Contain("num_envs = 2").And.Contain("num_envs = 4"));
        }
    }

    [Test]
    public void SameSeedGivesBitIdenticalNetworks()
    {
        var config = new PpoConfig { TotalSteps = 512, NumEnvs = 2, NumSteps = 128, Workers = 2 };
        var paths = new List<string>();
        for (int run = 0; run < 2; run++)
        {
            var dir = Path.Combine(_dir, $"run{run}");
            using var logger = new MetricsLogger(dir, tensorBoard: false);
            var summary = Ppo.Ppo.Train(config, Context(logger, dir, seed: 5));
            paths.Add(summary.LastCheckpoint!);
        }
        using var a = CheckpointReader.Open(paths[0], PpoAgent.AlgorithmName);
        using var b = CheckpointReader.Open(paths[1], PpoAgent.AlgorithmName);
        var netA = a.Group("network");
        var netB = b.Group("network");
        Assert.That(netA.Keys, Does.Contain("actor_logstd").And.Contain("actor_mean.0.weight").And.Contain("critic.4.bias"));
        foreach (var (name, t) in netA) Assert.That(t.equal(netB[name]), $"network.{name} differs between two runs with the same seed");
        Assert.That(a.Tensor("obs_rms.mean").equal(b.Tensor("obs_rms.mean")));
        Assert.That(a.Tensor("return_rms.var").equal(b.Tensor("return_rms.var")));
    }

    [Test]
    public void CancellationStopsAtTheNextStepKeepingTheLastUpdateBoundary()
    {
        var config = new PpoConfig { TotalSteps = 4096, NumEnvs = 2, Workers = 1, NumSteps = 128 };
        using var cts = new CancellationTokenSource();
        using var logger = new MetricsLogger(_dir, tensorBoard: false);
        var ctx = new TrainingContext
        {
            MakeEnv = () => new PointEnv(), RunDirectory = _dir, Logger = logger, Seed = 3, EvalEvery = 0, EvalEpisodes = 1,
            CheckpointEvery = 0, FinalVideo = false, Cancellation = cts.Token,
            Progress = new CancelAt(512, cts), // cancel once the second update is done, as Ctrl-C would mid-rollout
        };
        var summary = Ppo.Ppo.Train(config, ctx);
        Assert.That(summary.Interrupted, Is.True);
        Assert.That(summary.FinalEvaluation, Is.Null);
        Assert.That(summary.Steps, Is.EqualTo(512), "the partial rollout after the last update is discarded");
        Assert.That(summary.LastCheckpoint, Does.EndWith("step-000000512.ckpt"));
        using var reader = CheckpointReader.Open(summary.LastCheckpoint!, PpoAgent.AlgorithmName);
        Assert.That(reader.GetLong("iterations"), Is.EqualTo(2));
    }

    /// <summary>Synchronous progress sink (Progress&lt;T&gt; posts to the thread pool) that cancels at a step.</summary>
    private sealed class CancelAt(long step, CancellationTokenSource cts) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) cts.Cancel();
        }
    }

    /// <summary>
    /// A cheap learning check on the shared PointEnv (steer a 2-D point to the origin, reward 1 − distance, success
    /// within 0.1, 50-step episodes): a random policy almost never succeeds; PPO does within ~40k steps.
    /// </summary>
    [Test]
    public void LearnsToReachTheOriginOnAPointEnv()
    {
        var config = new PpoConfig { TotalSteps = 40_960, NumEnvs = 8, Workers = 1, NumSteps = 256, NumMinibatches = 8 }; // one worker: a toy step is too cheap to hand off
        using var logger = new MetricsLogger(_dir, tensorBoard: false);
        var summary = Ppo.Ppo.Train(config, Context(logger, _dir, seed: 2, makeEnv: () => new PointEnv()));
        var returns = File.ReadAllLines(Path.Combine(_dir, MetricsLogger.CsvFileName)).Skip(1).Select(l => l.Split(','))
                          .Where(r => r[2] == "charts/episodic_return").Select(r => double.Parse(r[3])).ToArray();
        double first = returns.Take(40).Average(), last = returns.TakeLast(40).Average();
        TestContext.Out.WriteLine($"episodic return {first:F2} -> {last:F2}; eval success {summary.FinalEvaluation!.SuccessRate:F2}");
        Assert.That(last, Is.GreaterThan(first + 5), "training returns improve");
        Assert.That(summary.FinalEvaluation.SuccessRate, Is.GreaterThanOrEqualTo(0.8));
    }

    [Test]
    public void NanRewardStopsNamingTheStepAfterSavingTheLastGoodState()
    {
        // Each of the 2 copies returns NaN at its own 300th step, i.e. env step 600 of the run.
        var config = new PpoConfig { TotalSteps = 2048, NumEnvs = 2, Workers = 1, NumSteps = 128 };
        using var logger = new MetricsLogger(_dir, tensorBoard: false);
        var e = Assert.Throws<NonFiniteLossException>(() =>
            Ppo.Ppo.Train(config, Context(logger, _dir, makeEnv: () => new PointEnv(nanRewardAtStep: 300))))!;
        Assert.That(e.Step, Is.EqualTo(600));
        Assert.That(e.Message, Does.Contain("reward").And.Contain("step 600"));
        Assert.That(File.Exists(e.LastGoodCheckpoint), Is.True);
        using var reader = CheckpointReader.Open(e.LastGoodCheckpoint!, PpoAgent.AlgorithmName);
        Assert.That(reader.GetLong("env_steps"), Is.EqualTo(512), "the last good state is the last update boundary");
        foreach (var (name, t) in reader.Group("network").Concat(reader.Group("return_rms")).Concat(reader.Group("obs_rms")))
            Assert.That(t.to(ScalarType.Float64).ToArray<double>().All(double.IsFinite), $"{name} in the last good checkpoint must be finite");
    }
}
