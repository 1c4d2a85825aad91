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
    public void PushPaysMostForTheLastCentimetresBehindThePuck()
    {
        using var env = new FrankaEnv(new PushTask());
        env.Reset(3);
        var start = env.State;
        var pushingPoint = PushTask.PushingPoint(start);
        var back = Vector3.Normalize(pushingPoint - start.Object);
        double Reward(Vector3 hand) => env.Task.ComputeReward(start with { Hand = hand }, new float[4]).Reward;
        double Behind(float d) => Reward(pushingPoint + d * back);
        Assert.That(Behind(0.01f) - Behind(0.05f), Is.GreaterThan(0.9), "the last centimetres to the pushing point");
        Assert.That(Behind(0.05f) - Behind(0.15f), Is.GreaterThan(0.9), "closing in from 15 cm");
        Assert.That(Behind(0.30f) - Behind(0.40f), Is.LessThan(0.05), "far away, hardly anything");
        // In front of the puck a push would take it away from the goal: the hand there earns clearly less.
        Assert.That(Reward(start.Object - 0.03f * back), Is.LessThan(Behind(0) - 1), "in front of the puck");
    }

    [Test]
    public void PushPaysEveryCentimetreOfProgressAlikeAndASolvedPuckMost()
    {
        using var env = new FrankaEnv(new PushTask());
        env.Reset(3);
        var start = env.State;
        var towardStart = Vector3.Normalize(start.ObjectInitial - start.Goal);
        float startDistance = Vector3.Distance(start.ObjectInitial, start.Goal);
        // The puck this far from the goal on its way from the start, the hand at its pushing point.
        RewardResult PuckAt(float fromGoal)
        {
            var s = start with { Object = start.Goal + fromGoal * towardStart };
            return env.Task.ComputeReward(s with { Hand = PushTask.PushingPoint(s) }, new float[4]);
        }
        // Meta-World's long-tailed in_place paid the first centimetres of a shove a fraction of the last ones.
        double first = PuckAt(startDistance - 0.02f).Reward - PuckAt(startDistance).Reward;
        double nearGoal = PuckAt(0.07f).Reward - PuckAt(0.09f).Reward;
        Assert.That(first, Is.EqualTo(6 * 0.02 / startDistance).Within(1e-3), "the first 2 cm");
        Assert.That(nearGoal, Is.EqualTo(first).Within(1e-3), "2 cm near the goal");
        // Parked 6 cm out with the fingers behind it: the best an unsolved step can do, short of 5 cm.
        var parked = PuckAt(0.06f);
        Assert.That(parked.Success, Is.False);
        Assert.That(parked.Reward, Is.LessThan(9), "parked 6 cm out");
        Assert.That(PuckAt(0).Reward, Is.EqualTo(10));
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
