using NUnit.Framework;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Envs.Tests;

/// <summary>What HER relies on: a step's record gives back the env's own reward under its own goal, and the goal it achieved.</summary>
public class GoalRewardsTests
{
    [TestCase("reach", RewardType.Dense)]
    [TestCase("push", RewardType.Dense)]
    [TestCase("pick-place", RewardType.Dense)]
    [TestCase("push", RewardType.Sparse)]
    public void RecordRecomputesTheEnvsRewardAndNamesTheAchievedGoal(string task, RewardType reward)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task), FrankaEnvOptions.Default with { Reward = reward });
        var goals = env.GoalRewards!;
        Assert.That(goals, Is.Not.Null);
        var expert = env.Task.CreateExpert();
        var rng = new Rng(4);
        env.Reset(4);
        expert.Reset();
        var record = new float[goals.RecordSize];
        var achieved = new float[3];
        var action = new float[4];
        int successes = 0;
        for (int t = 0; t < 200; t++)
        {
            // The expert with noise, so the puck moves and the steps pass through every phase of the reward.
            expert.Act(env.State, action);
            for (int i = 0; i < 4; i++) action[i] = Math.Clamp(action[i] + (float)(0.3 * rng.NextGaussian()), -1, 1);
            var r = env.Step(action);
            goals.Record(record);
            var goal = r.Observation.AsSpan(goals.GoalOffset, goals.GoalSize);
            Assert.That(goals.Reward(record, action, goal), Is.EqualTo(r.Reward), $"step {t}");
            goals.AchievedGoal(record, achieved);
            var part = task == "reach" ? r.Observation.AsSpan(0, 3) : r.Observation.AsSpan(4, 3);
            Assert.That(achieved, Is.EqualTo(part.ToArray()), $"step {t}: the achieved goal is where the {(task == "reach" ? "hand" : "puck")} is");
            // Under the goal it achieved, a step has succeeded.
            successes += goals.Reward(record, action, achieved) == (reward == RewardType.Sparse ? 1 : 10) ? 1 : 0;
        }
        Assert.That(successes, Is.EqualTo(200), "every step reaches the goal it achieved");
    }

    [TestCase("push")]
    [TestCase("pick-place")]
    public void A_goal_where_the_untouched_object_already_was_is_not_informative(string task)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var (goals, record) = RecordOfOneStep(env);
        var start = env.State.ObjectInitial;
        var radius = ((PuckTask)env.Task).SuccessRadius;
        Assert.That(goals.Informative(record, [start.X, start.Y, start.Z]), Is.False, "where the object started");
        Assert.That(goals.Informative(record, [start.X + 0.9f * radius, start.Y, start.Z]), Is.False, "within the success radius of it");
        Assert.That(goals.Informative(record, [start.X, start.Y + 1.1f * radius, start.Z]), Is.True, "moved beyond the radius");
    }

    [Test]
    public void Every_goal_the_hand_reached_is_informative()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        var (goals, record) = RecordOfOneStep(env);
        var hand = env.State.HandInitial;
        Assert.That(goals.Informative(record, [hand.X, hand.Y, hand.Z]), Is.True, "the hand stays at its start only if it is kept there");
    }

    private static (IGoalRewards Goals, float[] Record) RecordOfOneStep(FrankaEnv env)
    {
        var goals = env.GoalRewards!;
        env.Reset(5);
        env.Step([0, 0, 0, 0]);
        var record = new float[goals.RecordSize];
        goals.Record(record);
        return (goals, record);
    }

    [Test]
    public void TasksWithoutAGoalPointOfferNone()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("drawer-open"));
        Assert.That(env.GoalRewards, Is.Null);
        Assert.That(FrankaSuite.GoalTasks, Is.EquivalentTo(new[] { "reach", "push", "pick-place" }));
    }

    [Test]
    public void StateRoundTripsThroughItsFlatForm()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("push"));
        env.Reset(2);
        env.Step([0.3f, -0.2f, -0.5f, 0.7f]);
        var flat = new float[FrankaState.Size];
        env.State.WriteTo(flat);
        Assert.That(FrankaState.ReadFrom(flat), Is.EqualTo(env.State));
        Assert.Throws<ArgumentException>(() => env.State.WriteTo(new float[FrankaState.Size - 1]));
    }
}
