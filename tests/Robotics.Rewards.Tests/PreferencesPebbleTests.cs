using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Tests;

/// <summary>PEBBLE's parts: the k-NN state-entropy reward, query selection, and the schedule around SAC's buffer.</summary>
public class PreferencesPebbleTests
{
    private static float BruteForceKnn(float[][] points, int i, int k) =>
        points.Where((_, j) => j != i)
              .Select(p => (float)Math.Sqrt(p.Zip(points[i]).Sum(x => (x.First - x.Second) * (x.First - x.Second))))
              .OrderBy(d => d).ElementAt(k - 1);

    [Test]
    public void StateEntropyIsTheKthNeighbourDistanceOverItsRunningStd()
    {
        var rng = new Rng(0);
        var points = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)rng.NextGaussian()).ToArray()).ToArray();
        var entropy = new StateEntropy(3, k: 5, capacity: 16); // grows past its first capacity
        var online = points.Select(p => entropy.Add(p)).ToArray();
        Assert.That(online.Take(5), Is.All.EqualTo(0f), "no reward until more than k states are known");
        // Online: the newest state against those before it.
        var prefix = points.Take(100).ToArray();
        Assert.That(online[99] * EntropyScaleAfter(points, 100), Is.EqualTo(BruteForceKnn(prefix, 99, 5)).Within(1e-3));

        var all = entropy.RewardAll();
        double scale = entropy.Scale;
        for (int i = 0; i < points.Length; i += 37)
            Assert.That(all[i] * scale, Is.EqualTo(BruteForceKnn(points, i, 5)).Within(1e-4), $"state {i}");
        // An outlier is rewarded far more than a state in the crowd.
        var crowd = new StateEntropy(3, k: 5);
        foreach (var p in points) crowd.Add(p);
        float outlier = crowd.Add([8, 8, 8]);
        Assert.That(outlier, Is.GreaterThan(5 * crowd.RewardAll().Take(300).Average()));
    }

    /// <summary>The running std the online reward of state n−1 was divided by: over the distances of states k … n−1 as each arrived.</summary>
    private static double EntropyScaleAfter(float[][] points, int n)
    {
        var distances = Enumerable.Range(5, n - 5).Select(i => (double)BruteForceKnn(points.Take(i + 1).ToArray(), i, 5)).ToArray();
        double mean = distances.Average();
        return Math.Sqrt(distances.Average(d => (d - mean) * (d - mean)));
    }

    [Test]
    public void DisagreementAndEntropyRankTheRightPairsFirst()
    {
        // Members' P(B ≻ A) for three pairs: all unsure, split, all sure.
        var p = new double[3, 3] { { 0.5, 0.1, 0.99 }, { 0.5, 0.9, 0.99 }, { 0.5, 0.5, 0.99 } };
        var disagreement = QuerySelection.Scores(QuerySampling.Disagreement, p);
        var entropy = QuerySelection.Scores(QuerySampling.Entropy, p);
        Assert.That(disagreement[0], Is.EqualTo(0).Within(1e-12));
        Assert.That(disagreement[1], Is.EqualTo(Math.Sqrt((0.16 + 0.16) / 3)).Within(1e-12));
        Assert.That(disagreement[1], Is.GreaterThan(disagreement[2]));
        Assert.That(entropy[0], Is.EqualTo(Math.Log(2)).Within(1e-12));
        Assert.That(entropy[0], Is.GreaterThan(entropy[1]));
        Assert.That(entropy[1], Is.GreaterThan(entropy[2]));
    }

    private static readonly PebbleConfig Tiny = new()
    {
        SeedSteps = 20, UnsupervisedSteps = 40, QueryEvery = 30, QueriesPerSession = 8, MaxFeedback = 20, SegmentLength = 10,
        EntropyRelabelEvery = 25, RewardModel = new RewardModelConfig { Hidden = 16, Layers = 2, MaxEpochs = 3 },
    };

    [Test]
    public void ScheduleFollowsPebble()
    {
        manual_seed(0);
        var truth = new TaskRewardSource(FrankaSuite.CreateTask("reach"));
        using var learner = new PebbleLearner(Tiny, 4, new ScriptedTeacher(truth, TeacherConfig.Oracle, new Rng(1)), seed: 2);
        using var env = learner.WrapTrainingEnv(FrankaSuite.Make("reach", FrankaEnvOptions.Default with { MaxEpisodeSteps = 50 }));
        Assert.That(env, Is.TypeOf<RewardSourceWrapper>(), "the training env is rewarded by the learned model");
        using var second = FrankaSuite.Make("reach");
        Assert.Throws<InvalidOperationException>(() => learner.WrapTrainingEnv(second), "it learns from one env");
        using var buffer = new ReplayBuffer(500, FrankaEnv.ObservationSize, 4, 8);
        var rng = new Rng(3);
        var obs = env.Reset(0).Observation;
        var action = new float[4];
        var feedbackAt = new Dictionary<long, int>();
        var envRewards = new List<double>();
        var resets = new List<(long Step, int Updates)>();
        for (long step = 1; step <= 160; step++)
        {
            for (int i = 0; i < 4; i++) action[i] = (float)rng.Uniform(-1, 1);
            var r = env.Step(action);
            buffer.Add(obs, action, r.Reward, r.Observation, r.Terminated);
            envRewards.Add(r.Reward);
            learner.AfterStep(step, buffer);
            if (learner.CriticReset(step) is > 0 and var updates) resets.Add((step, updates));
            feedbackAt[step] = learner.Feedback;
            obs = r.Done ? env.Reset((int)step).Observation : r.Observation;
            if (step == 59)
            {
                // Pre-training: the buffer holds the state-entropy reward, not what the env reported.
                Assert.That(buffer.Rewards.ToArray(), Is.All.GreaterThanOrEqualTo(0f));
                Assert.That(buffer.Rewards.ToArray().Select(x => (double)x), Is.Not.EqualTo(envRewards));
                Assert.That(learner.Feedback, Is.Zero);
            }
        }
        // Sessions at the end of pre-training (60) and every 30 steps after, until the budget of 20 (8 + 8 + 4) is spent.
        Assert.That(feedbackAt[60], Is.EqualTo(8));
        Assert.That(feedbackAt[89], Is.EqualTo(8));
        Assert.That(feedbackAt[90], Is.EqualTo(16));
        Assert.That(feedbackAt[120], Is.EqualTo(20));
        Assert.That(feedbackAt[160], Is.EqualTo(20));
        Assert.That(learner.Sessions, Is.EqualTo(3));
        Assert.That(resets, Is.EqualTo(new[] { (60L, Tiny.ResetUpdates) }), "fresh critics once, when the first learned reward replaces the exploration reward");
        Assert.That(learner.Dataset.Count, Is.EqualTo(20));
        Assert.That(learner.Model.Updates, Is.EqualTo(3));

        // Rows stored after the last relabelling were labelled by the env wrapper with the same model, so the whole
        // buffer agrees with a fresh relabelling.
        var expected = new float[buffer.Count];
        var observations = Enumerable.Range(0, buffer.Count).SelectMany(i => buffer.NextObservation(i).ToArray()).ToArray();
        var actions = Enumerable.Range(0, buffer.Count).SelectMany(i => buffer.Action(i).ToArray()).ToArray();
        learner.Model.Relabel(observations, actions, expected);
        Assert.That(buffer.Rewards.ToArray(), Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void RecorderKeepsTheRecentEpisodes()
    {
        var env = new TrajectoryRecorder(FrankaSuite.Make("reach", FrankaEnvOptions.Default with { MaxEpisodeSteps = 15 }), keep: 2);
        using (env)
        {
            for (int episode = 0; episode < 3; episode++)
            {
                env.Reset(episode);
                for (int t = 0; t < 15; t++) env.Step([0.5f, 0, 0, -1]);
            }
            env.Reset(3);
            env.Step([0, 0, 0.5f, -1]);
        }
        var kept = env.Trajectories;
        Assert.That(kept.Select(t => t.EpisodeSeed), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(kept.Select(t => t.Length), Is.EqualTo(new[] { 15, 15, 1 }));
        Assert.That(env.RecentFinished(10).Select(t => t.EpisodeSeed), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(env.Steps, Is.EqualTo(46));
    }
}
