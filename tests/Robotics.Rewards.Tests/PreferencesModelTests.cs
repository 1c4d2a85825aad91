using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using Robotics.Torch;
using static Robotics.Rewards.Tests.PreferencesSynthetic;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Tests;

/// <summary>The Bradley–Terry loss and the reward ensemble: the loss by hand, learning, labelling, saving.</summary>
public class PreferencesModelTests
{
    /// <summary>Small networks: these tests check the algorithm, not the paper's capacity.</summary>
    private static readonly RewardModelConfig Small = new() { Hidden = 64, Layers = 2, MaxEpochs = 60, BatchSize = 64, LearningRate = 1e-3 };

    [Test]
    public void BradleyTerryLossMatchesAHandComputedExample()
    {
        using var scope = NewDisposeScope();
        // Returns (A, B) and targets: B preferred, equal, A preferred.
        var a = tensor(new float[] { 1, 0, 2 });
        var b = tensor(new float[] { 2, 0, -1 }, requires_grad: true);
        var y = tensor(new float[] { 1, 0.5f, 0 });
        // −log σ(1) = log(1 + e⁻¹); equal at a tie: log 2; −log(1 − σ(−3)) = log(1 + e⁻³).
        double expected = (Math.Log(1 + Math.Exp(-1)) + Math.Log(2) + Math.Log(1 + Math.Exp(-3))) / 3;
        var loss = BradleyTerry.Loss(a, b, y);
        Assert.That(loss.item<double>(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(expected, Is.EqualTo(0.3516654).Within(1e-6));
        // The same as B-Pref's two-way softmax cross-entropy over [R_A, R_B].
        var logits = stack([a, b.detach()], 1);
        var softmaxCe = -(stack([1 - y, y], 1) * logits.log_softmax(1)).sum(1).mean();
        Assert.That(softmaxCe.item<double>(), Is.EqualTo(expected).Within(1e-6));
        // ∂loss/∂R_B = (σ(R_B − R_A) − y) / N.
        loss.backward();
        var grad = b.grad!.ToArray<float>();
        double[] diffs = [1, 0, -3];
        double[] targets = [1, 0.5, 0];
        for (int i = 0; i < 3; i++)
            Assert.That(grad[i], Is.EqualTo((1 / (1 + Math.Exp(-diffs[i])) - targets[i]) / 3).Within(1e-6));
        Assert.That(BradleyTerry.ProbabilitySecond(a, b.detach()).ToArray<float>()[1], Is.EqualTo(0.5f));
    }

    private static (PreferenceDataset Train, List<(Segment A, Segment B)> HeldOut) SyntheticProblem(int pairs, int seed, TeacherConfig teacher)
    {
        var rng = new Rng(seed);
        var trajectories = Trajectories(60, 40, rng);
        var heldOutTrajectories = Trajectories(30, 40, rng);
        var train = SegmentSampler.SamplePairs(trajectories, pairs, 10, rng);
        var dataset = new PreferenceDataset(10, ActionSize, "synthetic");
        dataset.AddRange(train, new ScriptedTeacher(new NearGoal(), teacher, rng.Spawn()).Label(train));
        return (dataset, SegmentSampler.SamplePairs(heldOutTrajectories, 300, 10, rng));
    }

    [Test]
    public void EnsembleLearnsTheTrueRankingFromAFewHundredPairs()
    {
        manual_seed(0);
        var (dataset, heldOut) = SyntheticProblem(300, 1, TeacherConfig.Oracle);
        using var model = new RewardEnsemble(ActionSize, Small with { ValidationFraction = 0.1 }, seed: 0);
        var before = HeldOutEvaluation.Accuracy(model, new NearGoal(), heldOut).Accuracy;
        var result = model.Update(dataset);
        var after = HeldOutEvaluation.Accuracy(model, new NearGoal(), heldOut);
        TestContext.Out.WriteLine($"held-out accuracy {before:F3} → {after.Accuracy:F3} after {result.Epochs} epochs (train {result.TrainAccuracy:F3})");
        Assert.That(after.Accuracy, Is.GreaterThanOrEqualTo(0.9));
        Assert.That(after.Decided, Is.GreaterThan(250));
        Assert.That(result.TrainAccuracy, Is.GreaterThan(0.9));
        Assert.That(model.Updates, Is.EqualTo(1));
    }

    [Test]
    public void ValidationStopKeepsANoisyTeachersModelAccurate()
    {
        manual_seed(1);
        var (dataset, heldOut) = SyntheticProblem(300, 2, TeacherConfig.MistakePreset);
        using var model = new RewardEnsemble(ActionSize, Small with { ValidationFraction = 0.1, Patience = 5 }, seed: 1);
        var result = model.Update(dataset);
        Assert.That(result.ValidationPairs, Is.EqualTo(30));
        Assert.That(result.BestEpoch, Is.LessThanOrEqualTo(result.Epochs));
        Assert.That(HeldOutEvaluation.Accuracy(model, new NearGoal(), heldOut).Accuracy, Is.GreaterThanOrEqualTo(0.85));
    }

    [Test]
    public void RobustGaussianEnsembleLearnsTheRankingToo()
    {
        manual_seed(5);
        var (dataset, heldOut) = SyntheticProblem(300, 6, TeacherConfig.MistakePreset);
        var config = Small with { Gaussian = true, ValidationFraction = 0.1, Patience = 10, MaxEpochs = 100, Aggregation = EnsembleAggregation.WorstCase };
        using var model = new RewardEnsemble(ActionSize, config, seed: 5);
        model.Update(dataset);
        var accuracy = HeldOutEvaluation.Accuracy(model, new NearGoal(), heldOut).Accuracy;
        TestContext.Out.WriteLine($"Gaussian members, worst-case aggregation, mistake teacher: held-out accuracy {accuracy:F3}");
        // On these 300 noisy pairs the deterministic ensemble with the same stop reaches 0.84 and B-Pref's stop 0.79.
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.75));

        var path = Path.Combine(Path.GetTempPath(), $"robo-reward-gaussian-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            using var deterministic = new RewardEnsemble(ActionSize, Small);
            Assert.That(() => deterministic.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("gaussian"));
            using var loaded = new RewardEnsemble(ActionSize, config);
            loaded.Load(path);
            var rows = heldOut.Take(5).SelectMany(p => p.A.Inputs).ToArray();
            Assert.That(loaded.Predict(rows, rows.Length / model.InputSize), Is.EqualTo(model.Predict(rows, rows.Length / model.InputSize)).Within(1e-6));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void RewardsAreNormalisedOverTheTrainingSteps()
    {
        manual_seed(2);
        var (dataset, _) = SyntheticProblem(200, 3, TeacherConfig.Oracle);
        using var model = new RewardEnsemble(ActionSize, Small with { EnsembleSize = 1, MaxEpochs = 10 }, seed: 2);
        model.Update(dataset);
        var rows = dataset.Pairs.SelectMany(p => p.A.Inputs.Concat(p.B.Inputs)).ToArray();
        var rewards = model.Predict(rows, rows.Length / model.InputSize);
        double mean = rewards.Average(r => (double)r);
        double std = Math.Sqrt(rewards.Average(r => (r - mean) * (r - mean)));
        Assert.That(mean, Is.EqualTo(0).Within(1e-3));
        Assert.That(std, Is.EqualTo(1).Within(1e-3));
    }

    [Test]
    public void StepBatchAndBufferLabelsAgreeAndSurviveSaveAndLoad()
    {
        manual_seed(3);
        var (dataset, _) = SyntheticProblem(100, 4, TeacherConfig.Oracle);
        using var model = new RewardEnsemble(ActionSize, Small with { MaxEpochs = 3 }, seed: 3);
        model.Update(dataset);

        // Real transitions: the state view after each step, and the observation the buffer would hold.
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(5);
        var rng = new Rng(5);
        var batch = new List<RewardTransition>();
        var observations = new List<float>();
        var actions = new List<float>();
        for (int t = 0; t < 8; t++)
        {
            float[] action = [(float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), -1];
            var step = env.Step(action);
            batch.Add(new RewardTransition(env.State, action, NextObservation: step.Observation));
            observations.AddRange(step.Observation);
            actions.AddRange(action);
        }
        var single = batch.Select(b => model.Label(b.State, b.Action).Reward).ToArray();
        var batched = model.LabelBatch(batch).Select(l => l.Reward).ToArray();
        var relabelled = new float[batch.Count];
        model.Relabel(observations.ToArray(), actions.ToArray(), relabelled);
        Assert.That(batched, Is.EqualTo(single).Within(1e-5));
        Assert.That(relabelled.Select(r => (double)r), Is.EqualTo(single).Within(1e-5));

        var path = Path.Combine(Path.GetTempPath(), $"robo-reward-ensemble-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            using var loaded = new RewardEnsemble(ActionSize, Small with { MaxEpochs = 3 }, seed: 99);
            loaded.Load(path);
            Assert.That(loaded.LabelBatch(batch).Select(l => l.Reward), Is.EqualTo(batched).Within(1e-6));
            Assert.That(loaded.Updates, Is.EqualTo(1));
            Assert.That(loaded.InputsFitted, Is.True);
            using var otherShape = new RewardEnsemble(ActionSize, Small with { Hidden = 32 });
            Assert.That(() => otherShape.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("hidden"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void StateOnlyModelLearnsTheRankingAndIgnoresTheAction()
    {
        manual_seed(5);
        var (dataset, heldOut) = SyntheticProblem(300, 6, TeacherConfig.Oracle);
        using var model = new RewardEnsemble(ActionSize, Small with { ValidationFraction = 0.1, StateOnly = true }, seed: 5);
        model.Update(dataset);
        Assert.That(HeldOutEvaluation.Accuracy(model, new NearGoal(), heldOut).Accuracy, Is.GreaterThanOrEqualTo(0.9));

        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(1);
        var rng = new Rng(7);
        var rewards = Enumerable.Range(0, 20).Select(_ =>
        {
            float[] action = [(float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1)];
            return model.Label(env.State, action).Reward;
        }).ToArray();
        Assert.That(rewards, Is.All.EqualTo(rewards[0]).Within(1e-6), "a state-only reward is the same whatever the action");

        // Inspection along reach's expert episodes (untrained models: the synthetic one was fit on other states): a
        // state-only model pays nothing for the action alone, an r(s, a) model pays something.
        var expert = new TrajectoryCollector(env).Collect([new BehaviourPolicy("expert")], 2, 0, 60, new Rng(8));
        var truth = new TaskRewardSource(env.Task);
        using var stateOnly = new RewardEnsemble(ActionSize, Small with { StateOnly = true }, seed: 5);
        var inspected = RewardInspection.Inspect(stateOnly, truth, expert, window: 10, randomActions: 3, new Rng(9));
        Assert.That(inspected.ActionSpread, Is.EqualTo(0).Within(1e-6));
        Assert.That(inspected.ActionSpreadAtEnd, Is.EqualTo(0).Within(1e-6));
        Assert.That((inspected.Episodes, inspected.Steps), Is.EqualTo((2, 120)));
        Assert.That(new[] { inspected.TrueCorrelation, inspected.StateGain, inspected.EndGain }, Is.All.Matches<double>(double.IsFinite), inspected.ToString());
        using (var stateAction = new RewardEnsemble(ActionSize, Small, seed: 5))
            Assert.That(RewardInspection.Inspect(stateAction, truth, expert, 10, 3, new Rng(9)).ActionSpread, Is.GreaterThan(0));
        Assert.That(() => RewardInspection.Inspect(model, truth, expert, window: 40, randomActions: 3, new Rng(9)),
                    Throws.ArgumentException.With.Message.Contains("2 windows of 40"));

        var path = Path.Combine(Path.GetTempPath(), $"robo-reward-state-only-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            using var stateAction = new RewardEnsemble(ActionSize, Small);
            Assert.That(() => stateAction.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("state_only"));
            using var loaded = new RewardEnsemble(ActionSize, Small with { StateOnly = true });
            loaded.Load(path);
            using var opened = RewardEnsemble.Open(path, ActionSize);
            Assert.That((opened.Config.StateOnly, opened.Config.Hidden, opened.Config.Layers), Is.EqualTo((true, Small.Hidden, Small.Layers)), "shaped as the file says");
            Assert.That(opened.Label(env.State, new float[ActionSize]).Reward, Is.EqualTo(rewards[0]).Within(1e-6));
            Assert.That(loaded.Label(env.State, new float[ActionSize]).Reward, Is.EqualTo(rewards[0]).Within(1e-6));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void FeaturesFromStateAndObservationAreTheSame()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("drawer-open"));
        env.Reset(1);
        var obs = env.Step([0.5f, -0.3f, 0.2f, 1]).Observation;
        var fromState = new float[RewardFeatures.StateSize];
        var fromObservation = new float[RewardFeatures.StateSize];
        RewardFeatures.FromState(env.State, fromState);
        RewardFeatures.FromObservation(obs, fromObservation);
        Assert.That(fromObservation, Is.EqualTo(fromState));
        Assert.That(fromState[18..], Is.EqualTo(new[] { env.State.Goal.X, env.State.Goal.Y, env.State.Goal.Z }));
    }

    [Test]
    public void AggregationsCombineTheNormalisedMembers()
    {
        manual_seed(4);
        var (dataset, _) = SyntheticProblem(100, 5, TeacherConfig.Oracle);
        var path = Path.Combine(Path.GetTempPath(), $"robo-reward-aggregation-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var trained = new RewardEnsemble(ActionSize, Small with { MaxEpochs = 3 }, seed: 4))
            {
                trained.Update(dataset);
                trained.Save(path);
            }
            var rows = dataset.Pairs.Take(20).SelectMany(p => p.A.Inputs).ToArray();
            int n = rows.Length / RewardFeatures.InputSize(ActionSize);
            float[] Predict(EnsembleAggregation aggregation, double lambda = 1)
            {
                using var model = new RewardEnsemble(ActionSize, Small with { MaxEpochs = 3, Aggregation = aggregation, UncertaintyWeight = lambda });
                model.Load(path);
                return model.Predict(rows, n);
            }
            var mean = Predict(EnsembleAggregation.Mean);
            var worst = Predict(EnsembleAggregation.WorstCase);
            var weighted = Predict(EnsembleAggregation.UncertaintyWeighted, lambda: 2);
            var unweighted = Predict(EnsembleAggregation.UncertaintyWeighted, lambda: 0);
            Assert.That(unweighted, Is.EqualTo(mean).Within(1e-5));
            for (int i = 0; i < n; i++)
            {
                Assert.That(worst[i], Is.LessThanOrEqualTo(mean[i] + 1e-6));
                Assert.That(weighted[i], Is.LessThanOrEqualTo(mean[i] + 1e-6));
            }
            Assert.That(worst.Zip(mean).Count(p => p.First < p.Second - 1e-4), Is.GreaterThan(n / 2), "members disagree, so the worst case is usually below the mean");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
