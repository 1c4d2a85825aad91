using System.Numerics;
using NUnit.Framework;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Envs.Tests;

/// <summary>Every registered task: its scripted expert solves it, resets are reproducible, rewards are well-formed.</summary>
[TestFixture]
public class TaskTests
{
    private const int MaxSteps = 500;

    public static IEnumerable<string> TaskNames => FrankaSuite.Names;

    /// <summary>Runs the expert for one seeded episode; returns whether it succeeded and the step it did.</summary>
    private static (bool Success, int Steps) RunExpert(FrankaEnv env, IScriptedPolicy expert, int seed)
    {
        env.Reset(seed);
        expert.Reset();
        var action = new float[4];
        for (int t = 0; t < MaxSteps; t++)
        {
            expert.Act(env.State, action);
            if (env.Step(action).Info.Success) return (true, t + 1);
        }
        return (false, MaxSteps);
    }

    private static double SuccessRate(string task, int episodes, TextWriter? log = null)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var expert = env.Task.CreateExpert();
        int solved = 0;
        for (int seed = 0; seed < episodes; seed++)
        {
            var (success, steps) = RunExpert(env, expert, seed);
            if (success) solved++;
            log?.WriteLine($"{task} seed {seed}: {(success ? $"solved in {steps}" : $"failed, joint {env.State.Joint:F3} obj {env.State.Object} goal {env.State.Goal} hand {env.State.Hand}")}");
        }
        return (double)solved / episodes;
    }

    [TestCaseSource(nameof(TaskNames))]
    public void ExpertSolvesTask(string task)
    {
        double rate = SuccessRate(task, 10);
        Assert.That(rate, Is.GreaterThanOrEqualTo(0.9), $"{task}: expert success rate {rate:P0} over 10 seeded episodes");
    }

    /// <summary>The 50-episode measurement the task spec asks for (slow; run with --filter on its name).</summary>
    [TestCaseSource(nameof(TaskNames)), Explicit]
    public void ExpertSuccessOver50Episodes(string task)
    {
        double rate = SuccessRate(task, 50, TestContext.Out);
        TestContext.Out.WriteLine($"RATE {task} {rate:F2}");
        Assert.That(rate, Is.GreaterThanOrEqualTo(0.9));
    }

    [TestCaseSource(nameof(TaskNames))]
    public void SameSeedGivesIdenticalObservations(string task)
    {
        float[][] Rollout()
        {
            using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
            var expert = env.Task.CreateExpert();
            expert.Reset();
            var observations = new List<float[]> { env.Reset(7).Observation };
            var action = new float[4];
            for (int t = 0; t < 60; t++)
            {
                expert.Act(env.State, action);
                observations.Add(env.Step(action).Observation);
            }
            return observations.ToArray();
        }
        var a = Rollout();
        var b = Rollout();
        Assert.That(b.Length, Is.EqualTo(a.Length));
        for (int i = 0; i < a.Length; i++) Assert.That(b[i], Is.EqualTo(a[i]), $"{task}: observation {i} differs");
    }

    [TestCaseSource(nameof(TaskNames))]
    public void DifferentSeedsRandomiseTheScene(string task)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var first = env.Reset(1).Observation;
        var second = env.Reset(2).Observation;
        Assert.That(second, Is.Not.EqualTo(first));
    }

    [TestCaseSource(nameof(TaskNames))]
    public void RewardIsBoundedAndInfoHasComponents(string task)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var expert = env.Task.CreateExpert();
        var rng = new Random(3);
        var action = new float[4];
        for (int episode = 0; episode < 2; episode++)
        {
            env.Reset(episode);
            expert.Reset();
            for (int t = 0; t < 200; t++)
            {
                // Episode 0 follows the expert (rewards near success), episode 1 acts at random.
                if (episode == 0) expert.Act(env.State, action);
                else for (int i = 0; i < 4; i++) action[i] = (float)(rng.NextDouble() * 2 - 1);
                var step = env.Step(action);
                Assert.That(double.IsFinite(step.Reward), $"{task}: reward {step.Reward} at step {t}");
                Assert.That(step.Reward, Is.InRange(0.0, 10.0), $"{task}: reward at step {t}");
                Assert.That(step.Info.ContainsKey("success"), $"{task}: info lacks 'success'");
                var components = step.Info.Keys.Where(k => k.StartsWith("reward/")).ToList();
                Assert.That(components, Is.Not.Empty, $"{task}: info has no reward/ components");
                foreach (var key in components)
                    Assert.That(step.Info[key], Is.InRange(0.0, 1.0).And.Not.NaN, $"{task}: {key}");
            }
        }
    }

    [Test]
    public void PushPaysMostForTheLastCentimetresToThePuck()
    {
        using var env = new FrankaEnv(new PushTask());
        env.Reset(3);
        var start = env.State;
        double Reward(float handToPuck) =>
            env.Task.ComputeReward(start with { Hand = start.Object + new Vector3(0, -handToPuck, 0) }, new float[4]).Reward;
        // The long-tail caging term this replaced gained less over the last 5 cm than over the 10 cm before them.
        Assert.That(Reward(0.01f) - Reward(0.05f), Is.GreaterThan(1.5), "the last centimetres to the puck");
        Assert.That(Reward(0.05f) - Reward(0.15f), Is.GreaterThan(1.5), "closing in from 15 cm");
        Assert.That(Reward(0.30f) - Reward(0.40f), Is.LessThan(0.1), "far away, hardly anything");
    }

    [Test]
    public void PushPaysAParkedPuckClearlyLessThanASolvedOne()
    {
        using var env = new FrankaEnv(new PushTask());
        env.Reset(3);
        var start = env.State;
        var towardStart = Vector3.Normalize(start.ObjectInitial - start.Goal);
        // Puck 6 cm short of the goal with the fingertips on it: the best an unsolved step can do, short of 5 cm.
        var parked = start.Goal + 0.06f * towardStart;
        var step = env.Task.ComputeReward(start with { Object = parked, Hand = parked }, new float[4]);
        Assert.That(step.Success, Is.False);
        Assert.That(step.Reward, Is.InRange(8.0, 9.0), "parked 6 cm out");
        var solved = env.Task.ComputeReward(start with { Object = start.Goal, Hand = start.Goal }, new float[4]);
        Assert.That(solved.Reward, Is.EqualTo(10));
    }

    [TestCaseSource(nameof(TaskNames))]
    public void TaskDescribesItself(string task)
    {
        var t = FrankaSuite.CreateTask(task);
        Assert.That(t.Name, Is.EqualTo(task));
        Assert.That(t.Instruction, Is.Not.Empty);
        Assert.That(t.StateDescription, Does.Contain("Success"));
        Assert.That(File.Exists(AssetPaths.Resolve(t.ModelFile)), $"{task}: {t.ModelFile} not found");
    }
}
