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
    public void PushPaysForClosedFingersOnlyAtThePuck()
    {
        using var env = new FrankaEnv(new PushTask());
        env.Reset(3);
        var start = env.State;
        double Reward(float handToPuck, float opening) =>
            env.Task.ComputeReward(start with { Hand = start.Object + new System.Numerics.Vector3(0, -handToPuck, 0), GripperOpening = opening }, new float[4]).Reward;
        Assert.That(Reward(0.10f, 0), Is.EqualTo(Reward(0.10f, 1)), "closing 10 cm away earns nothing");
        Assert.That(Reward(0.01f, 0), Is.GreaterThan(Reward(0.01f, 1) + 0.5), "closing at the puck earns the grasp term");
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
