using NUnit.Framework;
using Robotics.Cli.Commands;
using Robotics.Cli.Experiments;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;

namespace Robotics.Cli.Tests;

/// <summary>Experiment files with rewards learned from preferences: the reward keys, their checks and what they configure.</summary>
public class PreferencesExperimentTests
{
    private static Experiment Load(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"robo-prefs-experiment-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try { return Experiment.Load(path); }
        finally { File.Delete(path); }
    }

    [Test]
    public void PebbleKeysConfigurePebbleAndTheRobustRewardModel()
    {
        var e = Load("""
            name: pebble-test
            task: reach
            reward:
              source: pebble
              teacher: mistake
              budget: 2000
              queries: 150
              query_every: 2500
              seed_steps: 500
              unsup_steps: 4000
              sampling: entropy
              segment: 40
              robust: true
              aggregation: uncertainty
              uncertainty_weight: 0.5
              reward_hidden: 64
              state_only: true
              reset_updates: 0
            algorithm: sac
            """);
        var pebble = PrefsExperiments.PebbleConfig(e.Reward);
        Assert.That(pebble.MaxFeedback, Is.EqualTo(2000));
        Assert.That(pebble.QueriesPerSession, Is.EqualTo(150));
        Assert.That(pebble.QueryEvery, Is.EqualTo(2500));
        Assert.That(pebble.PretrainingEnd, Is.EqualTo(4500));
        Assert.That(pebble.Sampling, Is.EqualTo(QuerySampling.Entropy));
        Assert.That(pebble.SegmentLength, Is.EqualTo(40));
        Assert.That(pebble.RewardModel.Gaussian, Is.True);
        Assert.That(pebble.RewardModel.Aggregation, Is.EqualTo(EnsembleAggregation.UncertaintyWeighted));
        Assert.That(pebble.RewardModel.UncertaintyWeight, Is.EqualTo(0.5));
        Assert.That(pebble.RewardModel.Hidden, Is.EqualTo(64));
        Assert.That(pebble.RewardModel.StateOnly, Is.True);
        Assert.That(pebble.ResetUpdates, Is.Zero);
        Assert.That(pebble.RewardModel.MaxEpochs, Is.EqualTo(10), "PEBBLE's reward_update stays");
        Assert.That(PrefsExperiments.Handles(e), Is.True);
    }

    [TestCase("reward:\n  source: dense\n  teacher: oracle\n", 3, "reward.teacher: is for source: pebble or transfer, not dense")]
    [TestCase("reward:\n  source: pebble\n  source_task: push\n", 3, "reward.source_task: is for source: transfer, not pebble")]
    [TestCase("reward:\n  source: transfer\n  budget: 10\n  source_task: push\n", 3, "reward.budget: is for source: pebble, not transfer")]
    [TestCase("reward:\n  source: pebble\n  teacher: psychic\n", 3, "reward.teacher: 'psychic' is not one of: oracle, mistake, noisy, skip, myopic, equal")]
    [TestCase("reward:\n  source: pebble\n  sampling: random\n", 3, "reward.sampling: 'random' is not one of: uniform, disagreement, entropy")]
    [TestCase("reward:\n  source: pebble\n  aggregation: max\n", 3, "reward.aggregation: 'max' is not one of: mean, worst_case, uncertainty")]
    [TestCase("reward:\n  source: pebble\n  queries: 0\n", 3, "reward.queries: must be at least 1, got 0")]
    [TestCase("reward:\n  source: pebble\n  reset_updates: -1\n", 3, "reward.reset_updates: must be 0 or more, got -1")]
    [TestCase("reward:\n  source: dense\n  state_only: true\n", 3, "reward.state_only: is for source: pebble or transfer, not dense")]
    [TestCase("reward:\n  source: transfer\n", 1, "reward.source_task: source: transfer needs source_task")] // a missing key points at its section
    [TestCase("reward:\n  source: transfer\n  source_task: reach\n", 3, "reward.source_task: is the experiment's own task (reach)")]
    [TestCase("reward:\n  source: pebble\nalgorithm: ppo\n", 3, "algorithm: rewards learned from preferences train with sac, not ppo")]
    [TestCase("reward:\n  source: pebble\n  seed_steps: 10\n  unsup_steps: 0\n", 4, "reward.unsup_steps: the first queries come after seed_steps + unsup_steps = 10 steps")]
    [TestCase("reward:\n  source: pebble\nsac:\n  her_goals: 4\n", 4, "sac.her_goals: recomputes the task's own reward for hindsight goals: it works with reward source dense or sparse, not pebble")]
    public void BadPreferenceKeysAreErrorsWithTheirLine(string reward, int line, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Load("name: bad\ntask: reach\n" + reward))!;
        Assert.That(e.Message, Does.Contain($", line {line + 2}: {message}"));
    }

    [Test]
    public void HerOnATaskWithoutAGoalPointIsAnErrorWithItsLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => Load("name: bad\ntask: drawer-open\nsac:\n  her_goals: 4\n"))!;
        Assert.That(e.Message, Does.Contain(", line 4: sac.her_goals: needs a task with a goal point (reach, push, pick-place), not drawer-open"));
        Assert.That(Load("name: ok\ntask: push\nsac:\n  her_goals: 4\n").Sac.HerGoals, Is.EqualTo(4));
    }
}
