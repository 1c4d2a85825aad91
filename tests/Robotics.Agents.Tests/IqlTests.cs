using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Iql;
using Robotics.Agents.Logging;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Core.Spaces;
using Robotics.Core.Wrappers;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;
using IqlAlgorithm = Robotics.Agents.Iql.Iql;

namespace Robotics.Agents.Tests;

/// <summary>
/// A point in the plane steered toward a goal: observation (x, y, goal x, goal y), action a 2-D velocity in [-1, 1]
/// (0.1 a step), reward −distance, success within 0.05. Small enough that offline runs take a second.
/// </summary>
internal sealed class GoalPointEnv : IEnv
{
    private readonly Rng _rng = new(0);
    private float _x, _y, _gx, _gy;

    public BoxSpace ObservationSpace { get; } = BoxSpace.Uniform(4, float.NegativeInfinity, float.PositiveInfinity);
    public BoxSpace ActionSpace { get; } = BoxSpace.Uniform(2, -1, 1);

    public ResetResult Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        (_x, _y, _gx, _gy) = ((float)_rng.Uniform(-1, 1), (float)_rng.Uniform(-1, 1), (float)_rng.Uniform(-1, 1), (float)_rng.Uniform(-1, 1));
        return new ResetResult([_x, _y, _gx, _gy], new Info { Success = false });
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        ActionSpace.Validate(action, "action");
        _x += 0.1f * action[0];
        _y += 0.1f * action[1];
        double distance = Math.Sqrt((_gx - _x) * (_gx - _x) + (_gy - _y) * (_gy - _y));
        return new StepResult([_x, _y, _gx, _gy], -distance, false, false, new Info { Success = distance < 0.05 });
    }

    public RgbImage Render() => throw new NotSupportedException("the point env does not render");

    public void Dispose() { }

    public const int EpisodeSteps = 30;

    public static IEnv Make() => new TimeLimit(new GoalPointEnv(), EpisodeSteps);

    /// <summary>Episodes of a proportional controller with Gaussian action noise (clipped), recorded as D4RL records them.</summary>
    public static TransitionDataset Collect(int episodes, double noise, int seed)
    {
        var data = TransitionDataset.Allocate(episodes * EpisodeSteps, 4, 2);
        using var env = Make();
        var rng = new Rng(seed);
        var action = new float[2];
        int row = 0;
        for (int e = 0; e < episodes; e++)
        {
            var obs = env.Reset(seed + e).Observation;
            while (true)
            {
                for (int i = 0; i < 2; i++)
                    action[i] = Math.Clamp(10 * (obs[2 + i] - obs[i]) + (float)(noise * rng.NextGaussian()), -1f, 1f);
                var r = env.Step(action);
                obs.CopyTo(data.Observation(row));
                action.CopyTo(data.Action(row));
                data.Rewards[row] = (float)r.Reward;
                data.Terminals[row] = r.Terminated;
                data.Timeouts[row] = r.Truncated;
                r.Observation.CopyTo(data.NextObservation(row));
                row++;
                obs = r.Observation;
                if (r.Done) break;
            }
        }
        return data;
    }
}

[TestFixture]
public class IqlTests
{
    private string _dir = "";
    private static readonly TransitionDataset PointData = GoalPointEnv.Collect(episodes: 20, noise: 0.3, seed: 1);

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("robotics-iql-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static IqlConfig SmallIql(long steps) => new() { TotalSteps = steps, BatchSize = 64, Hidden = 32 };

    private TrainingContext Context(string name, MetricsLogger logger, int seed = 7, string? resume = null, long checkpointEvery = 0) => new()
    {
        MakeEnv = GoalPointEnv.Make,
        RunDirectory = Path.Combine(_dir, name),
        Logger = logger,
        Seed = seed,
        EvalEvery = 0,
        EvalEpisodes = 3,
        CheckpointEvery = checkpointEvery,
        LogEvery = 50,
        FinalVideo = false,
        ResumeFrom = resume,
    };

    private TrainingSummary TrainIql(string name, IqlConfig config, TransitionDataset data, int seed = 7, string? resume = null, long checkpointEvery = 0)
    {
        using var logger = new MetricsLogger(Path.Combine(_dir, name), tensorBoard: false);
        return IqlAlgorithm.Train(config, data, Context(name, logger, seed, resume, checkpointEvery));
    }

    private static Dictionary<string, double[]> Tensors(string checkpoint, params string[] prefixes)
    {
        using var scope = NewDisposeScope();
        var (tensors, _) = SafeTensors.Load(checkpoint);
        try
        {
            return tensors.Where(kv => prefixes.Any(p => kv.Key.StartsWith(p + ".", StringComparison.Ordinal)))
                          .ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float64).ToArray<double>());
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    // ---- the expectile loss ----

    [Test]
    public void ExpectileLossWeighsPositiveResidualsTauAndNegativeOnesOneMinusTau()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new float[] { 2, -1, 0.5f, -3 });
        // τ = 0.7: weights 0.7, 0.3, 0.7, 0.3 on u² = 4, 1, 0.25, 9 → 2.8 + 0.3 + 0.175 + 2.7 = 5.975, mean 1.49375.
        Assert.That(IqlAgent.ExpectileLoss(u, 0.7).item<double>(), Is.EqualTo(1.49375).Within(1e-6));
        // τ = 0.9: 3.6 + 0.1 + 0.225 + 0.9 = 4.825, mean 1.20625.
        Assert.That(IqlAgent.ExpectileLoss(u, 0.9).item<double>(), Is.EqualTo(1.20625).Within(1e-6));
        // τ = 0.5 is half the mean squared error: 0.5 × 14.25 / 4.
        Assert.That(IqlAgent.ExpectileLoss(u, 0.5).item<double>(), Is.EqualTo(1.78125).Within(1e-6));
        // A zero residual counts as positive (u < 0 is false) and adds nothing either way.
        Assert.That(IqlAgent.ExpectileLoss(zeros([3]), 0.7).item<double>(), Is.EqualTo(0));
    }

    [Test]
    public void ExpectileLossGradientIsAsymmetric()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new float[] { 1, -1 }, requires_grad: true);
        IqlAgent.ExpectileLoss(u, 0.8).backward();
        // d/du mean(w u²) = 2 w u / n: 2·0.8·1/2 = 0.8 and 2·0.2·(−1)/2 = −0.2.
        var grad = u.grad!.ToArray<float>();
        Assert.That(grad[0], Is.EqualTo(0.8f).Within(1e-6));
        Assert.That(grad[1], Is.EqualTo(-0.2f).Within(1e-6));
    }

    // ---- the dataset ----

    /// <summary>Ten rows, reward = row index (so a sampled row is identifiable), a terminal at row 3, timeouts at rows 4 and 9.</summary>
    private static TransitionDataset Marked()
    {
        var data = TransitionDataset.Allocate(10, 3, 2);
        for (int i = 0; i < 10; i++)
        {
            data.Rewards[i] = i;
            for (int j = 0; j < 3; j++)
            {
                data.Observation(i)[j] = i + 10 * j;
                data.NextObservation(i)[j] = i + 1 + 10 * j;
            }
            data.Action(i)[0] = i / 10f;
            data.Action(i)[1] = -i / 10f;
        }
        data.Terminals[3] = true;
        data.Timeouts[4] = true;
        data.Timeouts[9] = true;
        return data;
    }

    [Test]
    public void SamplesHaveBatchShapesAndDonesComeFromTerminalsOnly()
    {
        using var dataset = new OfflineDataset(Marked(), batchSize: 64, normalizeObservations: false);
        var batch = dataset.Sample(new Rng(3));
        Assert.That(batch.Observations.shape, Is.EqualTo(new long[] { 64, 3 }));
        Assert.That(batch.NextObservations.shape, Is.EqualTo(new long[] { 64, 3 }));
        Assert.That(batch.Actions.shape, Is.EqualTo(new long[] { 64, 2 }));
        Assert.That(batch.Rewards.shape, Is.EqualTo(new long[] { 64, 1 }));
        Assert.That(batch.Dones.shape, Is.EqualTo(new long[] { 64, 1 }));
        var rewards = batch.Rewards.ToArray<float>();
        var dones = batch.Dones.ToArray<float>();
        var obs = batch.Observations.ToArray<float>();
        var actions = batch.Actions.ToArray<float>();
        Assert.That(rewards.Distinct().Count(), Is.GreaterThan(5), "64 draws from 10 rows should hit most of them");
        for (int b = 0; b < 64; b++)
        {
            int row = (int)rewards[b];
            Assert.That(dones[b], Is.EqualTo(row == 3 ? 1f : 0f), $"row {row}: done is terminal, and the timeouts at rows 4 and 9 are not done");
            Assert.That(obs[b * 3 + 2], Is.EqualTo(row + 20f), "observation rows travel with their reward");
            Assert.That(actions[b * 2 + 1], Is.EqualTo(-row / 10f));
        }
    }

    [Test]
    public void ObservationsAreStandardisedWithTheDatasetStatisticsAndRewardsScaledByTheReturnRange()
    {
        var data = Marked();
        using var dataset = new OfflineDataset(data, batchSize: 4, normalizeObservations: true, normalizeRewards: true);
        // Observation dimension 0 holds 0..9: mean 4.5, population std sqrt(8.25), plus CORL's 1e-3.
        Assert.That(dataset.Normalizer.Mean[0], Is.EqualTo(4.5f));
        Assert.That(dataset.Normalizer.Std[0], Is.EqualTo((float)(Math.Sqrt(8.25) + 1e-3)).Within(1e-6));
        Assert.That(dataset.Observation(9)[0], Is.EqualTo((float)((9 - 4.5) / (Math.Sqrt(8.25) + 1e-3))).Within(1e-5));
        Assert.That(dataset.NextObservation(9)[0], Is.EqualTo((float)((10 - 4.5) / (Math.Sqrt(8.25) + 1e-3))).Within(1e-5), "next observations use the same statistics");
        // Episodes end at the terminal (row 3) and the timeouts (rows 4, 9): returns 0+1+2+3 = 6, 4, 5+…+9 = 35.
        Assert.That(dataset.Returns, Is.EqualTo((3, 4.0, 35.0)));
        Assert.That(dataset.RewardScale, Is.EqualTo(1000 / 31.0).Within(1e-12));
        Assert.That(dataset.Reward(7), Is.EqualTo((float)(7 * 1000 / 31.0)).Within(1e-3));
        Assert.That(data.Rewards[7], Is.EqualTo(7f), "the source dataset is left as it was");
    }

    [Test]
    public void RewardNormalisationRefusesADatasetWithoutAReturnRange()
    {
        var data = TransitionDataset.Allocate(5, 1, 1);
        data.Timeouts[4] = true;
        var e = Assert.Throws<ArgumentException>(() => new OfflineDataset(data, 2, normalizeRewards: true).Dispose());
        Assert.That(e!.Message, Does.Contain("1 complete episode"));
    }

    // ---- training ----

    [Test]
    public void ShortIqlRunWritesMetricsAndACheckpointThatLoadsBack()
    {
        var summary = TrainIql("short", SmallIql(200), PointData);
        Assert.That(summary.Algorithm, Is.EqualTo("iql"));
        Assert.That(summary.Steps, Is.EqualTo(200));
        Assert.That(summary.FinalEvaluation!.Episodes, Has.Count.EqualTo(3));

        var rows = File.ReadAllLines(Path.Combine(_dir, "short", MetricsLogger.CsvFileName)).Skip(1).Select(l => l.Split(',')).ToList();
        var keys = rows.Select(r => r[2]).ToHashSet();
        Assert.That(keys, Is.SupersetOf(new[] { "losses/value_loss", "losses/q_loss", "losses/actor_loss", "charts/learning_rate",
                                                "losses/advantage_weight", "charts/SPS", "eval/success_rate", "dataset/reward_scale" }));
        Assert.That(rows.Where(r => r[2] == "losses/q_loss").Select(r => r[0]), Is.EqualTo(new[] { "50", "100", "150", "200" }));
        Assert.That(rows.All(r => double.IsFinite(double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture))));
        var lr = rows.Where(r => r[2] == "charts/learning_rate").Select(r => double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(lr, Is.Ordered.Descending, "the actor's learning rate is cosine-annealed");
        Assert.That(lr[^1], Is.LessThan(1e-6), "and is nearly 0 by the last step");

        Assert.That(summary.LastCheckpoint, Does.EndWith("step-000000200.ckpt"));
        Assert.That(File.Exists(Path.Combine(_dir, "short", "checkpoints", "latest.ckpt")));
        using var agent = IqlAgent.FromCheckpoint(summary.LastCheckpoint!);
        Assert.That(agent.Updates, Is.EqualTo(200));
        Assert.That(agent.ObservationSize, Is.EqualTo(4));
        Assert.That(agent.Actor.IsGaussian, "CORL's default actor is Gaussian");
        Assert.That(agent.NormalizesWith(ObservationNormalizer.FromDataset(PointData)), "the observation statistics are in the checkpoint");
        var action = new float[2];
        agent.Act([0.1f, 0.2f, 0.3f, 0.4f], action, deterministic: true);
        Assert.That(action.All(a => a is >= -1 and <= 1));
    }

    [Test]
    public void SameSeedGivesTheSameRunAndResumingContinuesIt()
    {
        var config = SmallIql(120);
        var a = TrainIql("a", config, PointData, checkpointEvery: 60);
        var b = TrainIql("b", config, PointData);
        var c = TrainIql("c", config, PointData, resume: Path.Combine(_dir, "a", "checkpoints", "step-000000060.ckpt"));
        var d = TrainIql("d", config, PointData, seed: 8);
        string[] groups = ["actor", "qf1", "qf2_target", "vf", "actor_optimizer"];
        var ta = Tensors(a.LastCheckpoint!, groups);
        Assert.That(ta.Keys, Has.Count.GreaterThan(10));
        Assert.That(Tensors(b.LastCheckpoint!, groups), Is.EqualTo(ta), "same seed, same weights, bit for bit");
        Assert.That(c.Steps, Is.EqualTo(120));
        Assert.That(Tensors(c.LastCheckpoint!, groups), Is.EqualTo(ta), "resumed at 60, the run ends where the uninterrupted one did");
        Assert.That(Tensors(d.LastCheckpoint!, groups), Is.Not.EqualTo(ta), "another seed, another run");
        Assert.That(c.FinalEvaluation!.SuccessRate, Is.EqualTo(a.FinalEvaluation!.SuccessRate));
    }

    [Test]
    public void DeterministicActorIsFitBySquaredErrorAndRecordedInTheCheckpoint()
    {
        var summary = TrainIql("det", SmallIql(50) with { DeterministicActor = true }, PointData);
        using var agent = IqlAgent.FromCheckpoint(summary.LastCheckpoint!);
        Assert.That(agent.Actor.IsGaussian, Is.False);
        using var gaussian = new IqlAgent(4, 2, SmallIql(50));
        using var reader = CheckpointReader.Open(summary.LastCheckpoint!);
        var e = Assert.Throws<InvalidDataException>(() => gaussian.Load(reader));
        Assert.That(e!.Message, Does.Contain("actor = deterministic").And.Contain("actor = gaussian"));
    }

    [Test]
    public void NonFiniteLossStopsTrainingWithALastGoodCheckpoint()
    {
        var data = GoalPointEnv.Collect(episodes: 2, noise: 0.3, seed: 1);
        Array.Fill(data.Rewards, float.NaN);
        var e = Assert.Throws<NonFiniteLossException>(() => TrainIql("nan", SmallIql(100) with { NormalizeRewards = false }, data));
        Assert.That(e!.Loss, Is.EqualTo("losses/q_loss"));
        Assert.That(e.Step, Is.EqualTo(1));
        Assert.That(File.Exists(e.LastGoodCheckpoint), e.Message);
        using var agent = IqlAgent.FromCheckpoint(e.LastGoodCheckpoint!);
        Assert.That(agent.Updates, Is.EqualTo(0), "the failing update was not applied");
    }

    [Test]
    public void DatasetOfAnotherShapeThanTheEnvIsRefusedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainIql("shape", SmallIql(10), Marked()));
        Assert.That(e!.Message, Does.Contain("3-number observations").And.Contain("env has 4"));
    }

    [Test]
    public void CancellationStopsAtTheNextStepWithACheckpoint()
    {
        using var cancel = new CancellationTokenSource();
        using var logger = new MetricsLogger(Path.Combine(_dir, "cancel"), tensorBoard: false);
        var summary = IqlAlgorithm.Train(SmallIql(1000), PointData, new TrainingContext
        {
            MakeEnv = GoalPointEnv.Make, RunDirectory = Path.Combine(_dir, "cancel"), Logger = logger, Seed = 7, EvalEvery = 0, CheckpointEvery = 0,
            FinalVideo = false, Progress = new CancelAt(cancel, 100), Cancellation = cancel.Token,
        });
        Assert.That(summary.Interrupted);
        Assert.That(summary.Steps, Is.EqualTo(100));
        Assert.That(summary.FinalEvaluation, Is.Null);
        Assert.That(summary.LastCheckpoint, Does.EndWith("step-000000100.ckpt"));
    }

    [Test]
    public void EvaluatesOnTheScheduleAndReusesALastStepEvaluationAsTheFinalOne()
    {
        using var logger = new MetricsLogger(Path.Combine(_dir, "eval"), tensorBoard: false);
        var summary = IqlAlgorithm.Train(SmallIql(100), PointData, new TrainingContext
        {
            MakeEnv = GoalPointEnv.Make, RunDirectory = Path.Combine(_dir, "eval"), Logger = logger, Seed = 7, EvalEvery = 50, EvalEpisodes = 2,
            CheckpointEvery = 0, FinalVideo = false,
        });
        var evaluations = File.ReadAllLines(Path.Combine(_dir, "eval", MetricsLogger.CsvFileName))
                              .Select(l => l.Split(',')).Where(r => r[2] == "eval/success_rate").Select(r => r[0]);
        Assert.That(evaluations, Is.EqualTo(new[] { "50", "100" }), "gradient steps 50 and 100, and no second evaluation at 100");
        Assert.That(summary.FinalEvaluation!.Episodes, Has.Count.EqualTo(2));
    }

    private sealed class CancelAt(CancellationTokenSource source, long step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) source.Cancel();
        }
    }

    [Test]
    public void BehaviourCloningFitsTheDatasetActions()
    {
        using var logger = new MetricsLogger(Path.Combine(_dir, "bc"), tensorBoard: false);
        var summary = BehaviorCloning.Train(new BcConfig { TotalSteps = 300, BatchSize = 64, Hidden = 32, Lr = 1e-3 }, PointData, Context("bc", logger));
        Assert.That(summary.Algorithm, Is.EqualTo("bc"));
        var losses = File.ReadAllLines(Path.Combine(_dir, "bc", MetricsLogger.CsvFileName))
                         .Select(l => l.Split(',')).Where(r => r[2] == "losses/actor_loss")
                         .Select(r => double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(losses, Has.Count.EqualTo(6));
        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.7), "MSE onto the dataset's actions falls");
        using var agent = BcAgent.FromCheckpoint(summary.LastCheckpoint!);
        Assert.That(agent.Updates, Is.EqualTo(300));
        Assert.That(agent.Actor.IsGaussian, Is.False, "CORL's BC is a deterministic actor fit by MSE");
    }

    // ---- refusing other algorithms' checkpoints ----

    [Test]
    public void IqlCheckpointIsRefusedByBehaviourCloningNamingBoth()
    {
        var iql = TrainIql("iql", SmallIql(10), PointData).LastCheckpoint!;
        var e = Assert.Throws<InvalidDataException>(() => BcAgent.FromCheckpoint(iql).Dispose());
        Assert.That(e!.Message, Does.Contain("written by iql, not bc"));

        // Also when the reader was opened without naming an algorithm: the agent checks.
        using var reader = CheckpointReader.Open(iql);
        using var bc = new BcAgent(4, 2, new BcConfig { Hidden = 32 });
        e = Assert.Throws<InvalidDataException>(() => bc.Load(reader));
        Assert.That(e!.Message, Does.Contain("written by iql, not bc"));
    }

    [Test]
    public void SacCheckpointIsRefusedByIqlNamingBoth()
    {
        var path = Path.Combine(_dir, "sac.ckpt");
        using (var sac = new SacAgent(4, 2, new SacConfig { Hidden = 32 }))
        using (var writer = new CheckpointWriter(SacAgent.AlgorithmName))
        using (NewDisposeScope())
        {
            sac.Save(writer);
            writer.Save(path);
        }
        var e = Assert.Throws<InvalidDataException>(() => IqlAgent.FromCheckpoint(path).Dispose());
        Assert.That(e!.Message, Does.Contain("written by sac, not iql"));
        using var reader = CheckpointReader.Open(path);
        using var iql = new IqlAgent(4, 2, SmallIql(10));
        e = Assert.Throws<InvalidDataException>(() => iql.Load(reader));
        Assert.That(e!.Message, Does.Contain("written by sac, not iql"));
    }
}
