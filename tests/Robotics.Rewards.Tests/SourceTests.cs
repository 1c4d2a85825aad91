using NUnit.Framework;
using System.Numerics;
using Robotics.Core.Wrappers;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Tests;

/// <summary>Reward sources: the task adapter, sums, programs with a safe fallback, and the env wrapper that swaps rewards.</summary>
public class SourceTests
{
    private static readonly ProgramCompiler Compiler = new();

    private static readonly FrankaState State = new(
        Hand: new(0, 0.6f, 0.2f), GripperOpening: 1, LeftPad: default, RightPad: default,
        Object: default, ObjectOrientation: Quaternion.Identity, Object2: default, Object2Orientation: default,
        Goal: new(0.05f, 0.65f, 0.1f), HandInitial: new(0, 0.6f, 0.2f), ObjectInitial: default, Joint: 0);
    private static readonly float[] Action = [0, 0, 0, -1];

    /// <summary>A source that returns a constant, to check sums by hand.</summary>
    private sealed class Constant(string name, double value) : IRewardSource
    {
        public string Name => name;
        public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action) => new(value, [("part", value / 2)]);
    }

    [Test]
    public void TaskSourceIsTheHandWrittenRewardWithPlainComponentNames()
    {
        var task = new ReachTask();
        var label = new TaskRewardSource(task).Label(State, Action);
        var expected = task.ComputeReward(State, Action);
        Assert.That(label.Reward, Is.EqualTo(expected.Reward));
        Assert.That(label.Components.Select(c => c.Name), Is.EqualTo(new[] { "in_place", "hand_to_goal" }));
    }

    [Test]
    public void WeightedSumAddsWeightedRewardsAndNamesEveryTerm()
    {
        var sum = new WeightedSum([(new Constant("a", 2), 0.5), (new Constant("b", 4), 2)]);
        var label = sum.Label(State, Action);
        Assert.That(label.Reward, Is.EqualTo(0.5 * 2 + 2 * 4));
        Assert.That(label.Components, Is.EqualTo(new (string, double)[] { ("a", 2), ("a/part", 1), ("b", 4), ("b/part", 2) }));
    }

    [Test]
    public void WeightedSumRefusesCollidingNamesAndNonFiniteWeights()
    {
        Assert.Throws<ArgumentException>(() => new WeightedSum([(new Constant("a", 1), 1), (new Constant("a", 2), 1)]));
        Assert.Throws<ArgumentException>(() => new WeightedSum([(new Constant("a", 1), double.NaN)]));
        Assert.Throws<ArgumentException>(() => new WeightedSum([]));
    }

    [Test]
    public void BatchLabelsEqualStepLabels()
    {
        using var program = Compiler.Compile(Programs.GoodReach).Program!;
        IRewardSource sum = new WeightedSum([(new ProgramRewardSource(program), 1), (new TaskRewardSource(new ReachTask()), 0.1)]);
        var batch = Enumerable.Range(0, 5).Select(i => new RewardTransition(State with { Hand = State.Hand + new Vector3(0, 0.01f * i, 0) }, Action)).ToList();
        var labels = sum.LabelBatch(batch);
        for (int i = 0; i < batch.Count; i++)
        {
            var single = sum.Label(batch[i].State, batch[i].Action);
            Assert.That(labels[i].Reward, Is.EqualTo(single.Reward));
            Assert.That(labels[i].Components, Is.EqualTo(single.Components));
        }
    }

    [Test]
    public void FailingProgramGivesTheSafeRewardAndIsLogged()
    {
        var dir = Directory.CreateTempSubdirectory("robo-reward-errors-").FullName;
        try
        {
            using var program = Compiler.Compile(Programs.WithBody("return state.Hand.Y > 0.5f ? double.NaN : 1;")).Program!;
            var path = Path.Combine(dir, "reward", "errors.jsonl");
            using (var log = new RewardErrorLog(path, keep: 2))
            {
                var source = new ProgramRewardSource(program, log, safeReward: -1);
                for (int i = 0; i < 5; i++)
                {
                    var label = source.Label(State, Action);
                    Assert.That(label.Reward, Is.EqualTo(-1));
                    Assert.That(label.Components, Does.Contain((ProgramRewardSource.ErrorComponent, 1.0)));
                }
                Assert.That(source.Label(State with { Hand = default }, Action).Reward, Is.EqualTo(1));
                Assert.That(log.Count, Is.EqualTo(5));
                Assert.That(log.Counts[FailureKind.NonFinite], Is.EqualTo(5));
                Assert.That(log.First, Has.Count.EqualTo(2));
            }
            var lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(2), "only the first failures are written");
            Assert.That(lines[0], Does.Contain("NonFinite").And.Contain("Hand = <0, 0.6, 0.2>"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void WrapperReplacesTheRewardAndAgentsSeeOnlyTheNewOne()
    {
        using var program = Compiler.Compile(ProgramTemplate.For(new ReachTask(), "return 100 + state.Hand.Z;")).Program!;
        using var env = new RewardSourceWrapper(FrankaSuite.Make("reach"), new ProgramRewardSource(program));
        env.Reset(3);
        var franka = EnvWrapper.Unwrap<FrankaEnv>(env)!;
        var step = env.Step(new float[] { 0.3f, 0, 0, -1 });
        Assert.That(step.Reward, Is.EqualTo(100 + franka.State.Hand.Z).Within(1e-6));
        Assert.That(step.Info["reward/program"], Is.EqualTo(step.Reward));
        Assert.That(step.Info.ContainsKey("reward/in_place"), Is.False, "the task's components are replaced");
        Assert.That(step.Info[RewardSourceWrapper.TaskRewardKey], Is.EqualTo(new ReachTask().ComputeReward(franka.State, new float[] { 0.3f, 0, 0, -1 }).Reward).Within(1e-9));
        Assert.That(step.Info.ContainsKey("success"), Is.True);
    }

    [Test]
    public void EquivalentProgramThroughTheWrapperReproducesTheTaskReward()
    {
        using var program = Compiler.Compile(HandWrittenEquivalents.Source("push")).Program!;
        using var wrapped = new RewardSourceWrapper(FrankaSuite.Make("push"), new ProgramRewardSource(program));
        using var plain = FrankaSuite.Make("push");
        wrapped.Reset(7);
        plain.Reset(7);
        var rng = new Robotics.Core.Seeding.Rng(7);
        for (int t = 0; t < 50; t++)
        {
            var action = Enumerable.Range(0, 4).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();
            var a = wrapped.Step(action);
            var b = plain.Step(action);
            Assert.That(a.Reward, Is.EqualTo(b.Reward).Within(1e-12), $"step {t}");
            Assert.That(a.Info.Success, Is.EqualTo(b.Info.Success));
        }
    }

    [Test]
    public void ThrowingProgramNeverStopsAnEpisode()
    {
        using var program = Compiler.Compile(Programs.WithBody("int k = (int)(state.Hand.X * 0); return 1 / k;")).Program!;
        using var log = new RewardErrorLog();
        using var env = new RewardSourceWrapper(FrankaSuite.Make("reach", FrankaEnvOptions.Default with { MaxEpisodeSteps = 20 }), new ProgramRewardSource(program, log));
        env.Reset(0);
        var action = new float[4];
        Robotics.Core.Envs.StepResult step;
        int steps = 0;
        do { step = env.Step(action); steps++; Assert.That(step.Reward, Is.EqualTo(0)); } while (!step.Done);
        Assert.That(steps, Is.EqualTo(20));
        Assert.That(log.Count, Is.EqualTo(20));
        Assert.That(step.Info["reward/program_error"], Is.EqualTo(1));
    }
}
