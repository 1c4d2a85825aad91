using System.Numerics;
using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Control;
using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Deploy.Tests;

/// <summary>What the robot side rebuilds must be what the policy saw in training.</summary>
public class ObservationTests
{
    [TestCase("reach")]
    [TestCase("push")]
    public void ObservationsRebuiltFromRobotStatesEqualTheEnvsBitForBit(string task)
    {
        using var sim = new SimulatedFranka(task, 250, 250);
        var builder = new ObservationBuilder(ObservationLayout.ForTask(task), FrankaPhysics.MaxGripperOpening);
        var expert = FrankaSuite.CreateTask(task).CreateExpert();
        var obs = new float[FrankaEnv.ObservationSize];
        var rebuilt = new float[FrankaEnv.ObservationSize];
        var action = new float[4];
        var scaling = ActionScaling.ForControl(ControlMode.EndEffector);
        for (int episode = 0; episode < 2; episode++)
        {
            sim.Reset(10 + episode, CommandMode.EndEffectorDelta);
            builder.Reset();
            expert.Reset();
            // The env's own observation of the same state, by resetting a twin env with the same seed.
            using var twin = new FrankaEnv(FrankaSuite.CreateTask(task));
            var expected = twin.Reset(10 + episode).Observation;
            for (int t = 0; t < 60; t++)
            {
                builder.Build(sim.ReadState(t, 0, false), rebuilt);
                Assert.That(rebuilt, Is.EqualTo(expected), $"{task} episode {episode} step {t}");
                expert.Act(sim.Env.State, action);
                var command = new RobotCommand
                {
                    Kind = CommandKind.EndEffectorDelta, Episode = sim.Episode, BasedOnState = 1,
                    EndEffectorDelta = new Vector3(action[0], action[1], action[2]) * (float)scaling.EndEffectorMetresPerUnit,
                    GripperWidth = scaling.GripperWidth(action[3]),
                };
                sim.Tick(command, watchdogExpired: false);
                // The twin gets the action the robot recovers from the physical command (metres back to units).
                var back = command.EndEffectorDelta / (float)scaling.EndEffectorMetresPerUnit;
                expected = twin.Step([Math.Clamp(back.X, -1f, 1f), Math.Clamp(back.Y, -1f, 1f), Math.Clamp(back.Z, -1f, 1f),
                                      scaling.GripperAction(command.GripperWidth)]).Observation;
            }
        }
    }

    [Test]
    public void RebuiltStateViewMatchesTheEnvsAndPadsSitWhereTheHandPutsThem()
    {
        using var sim = new SimulatedFranka("push", 250, 250);
        sim.Reset(3, CommandMode.EndEffectorDelta);
        var builder = new FrankaStateBuilder(FrankaPhysics.MaxGripperOpening);
        var expert = FrankaSuite.CreateTask("push").CreateExpert();
        var action = new float[4];
        for (int t = 0; t < 120; t++)
        {
            var env = sim.Env.State;
            var rebuilt = builder.Build(sim.ReadState(t, 0, false));
            Assert.That(rebuilt with { LeftPad = env.LeftPad, RightPad = env.RightPad }, Is.EqualTo(env), $"step {t}");
            Assert.That(Vector3.Distance(rebuilt.LeftPad, env.LeftPad), Is.LessThan(0.003f), $"left pad, step {t}");
            Assert.That(Vector3.Distance(rebuilt.RightPad, env.RightPad), Is.LessThan(0.003f), $"right pad, step {t}");
            expert.Act(env, action);
            sim.Tick(new RobotCommand
            {
                Kind = CommandKind.EndEffectorDelta, Episode = sim.Episode, BasedOnState = 1,
                EndEffectorDelta = new Vector3(action[0], action[1], action[2]) * 0.01f, GripperWidth = 0.04 * (1 - action[3]),
            }, false);
        }
    }

    [Test]
    public void TaskPerceptionTableAgreesWithEveryEnv()
    {
        foreach (var task in FrankaSuite.Names)
        {
            var declared = ObservationLayout.StateViewOf(task);
            using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
            var expert = env.Task.CreateExpert();
            var action = new float[4];
            var seen = PerceptionItems.None;
            for (int seed = 0; seed < 2; seed++)
            {
                env.Reset(seed);
                expert.Reset();
                for (int t = 0; t < 40; t++)
                {
                    var s = env.State;
                    if (s.Object != Vector3.Zero || s.ObjectOrientation != default) seen |= PerceptionItems.Object;
                    if (s.Object2 != Vector3.Zero || s.Object2Orientation != default) seen |= PerceptionItems.Object2;
                    if (s.Goal != Vector3.Zero) seen |= PerceptionItems.Goal;
                    if (s.Joint != 0) seen |= PerceptionItems.Articulation;
                    expert.Act(s, action);
                    env.Step(action);
                }
            }
            Assert.That(seen & ~declared, Is.EqualTo(PerceptionItems.None), $"{task} fills fields the table says it leaves at zero");
            Assert.That(declared & ~PerceptionItems.Articulation & ~seen, Is.EqualTo(PerceptionItems.None), $"{task} never fills a field the table lists");
        }
    }

    [Test]
    public void JointScaleMatchesTheEnvsJointDeltaControl()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"), FrankaEnvOptions.Default with { Control = ControlMode.JointDelta });
        env.Reset(0);
        double q0 = env.Physics.ArmJointPosition(0);
        var action = new float[8];
        action[0] = 0.5f;
        env.Step(action);
        int act = env.Physics.Id(MuJoCo.MjObject.Actuator, "panda_act1");
        Assert.That(env.Physics.Data.Ctrl[act], Is.EqualTo(q0 + 0.5 * ActionScaling.FrankaJointRadiansPerUnit).Within(1e-12));
    }
}
