using System.Numerics;
using NUnit.Framework;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tests;

/// <summary>
/// End-effector control: the hand reaches targets across the table with the gripper pointing down, as Meta-World's
/// mocap-welded hand does. A position-only solver tilted the wrist up to 50° reaching low and far.
/// </summary>
public class CartesianControllerTests
{
    [Test]
    public void HandStartsAtMetaWorldsHandStartPointingDown()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(0);
        Assert.That(Vector3.Distance(env.State.Hand, new Vector3(0, 0.4f, 0.2f)), Is.LessThan(1e-3f));
        Assert.That(Tilt(env), Is.LessThan(0.5));
        Assert.That(env.EndEffectorTarget, Is.EqualTo(env.State.Hand));
    }

    // Corners of the tasks' ranges at puck height, far out and near the base, the workspace's sides, and high up.
    [TestCase(-0.1f, 0.7f, 0.03f)]
    [TestCase(0.1f, 0.7f, 0.03f)]
    [TestCase(0.3f, 0.6f, 0.03f)]
    [TestCase(-0.3f, 0.45f, 0.2f)]
    [TestCase(-0.1f, 0.3f, 0.03f)]
    [TestCase(0.1f, 0.3f, 0.03f)]
    [TestCase(0.2f, 0.5f, 0.3f)]
    public void HandReachesTheTargetWithTheGripperPointingDown(float x, float y, float z)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(0);
        var target = new Vector3(x, y, z);
        var action = new float[4];
        double maxTilt = 0;
        for (int t = 0; t < 120; t++)
        {
            // Steer the controller's target, not the hand: this checks how well the arm follows its target.
            var d = (target - env.EndEffectorTarget) * 100f;
            (action[0], action[1], action[2], action[3]) = (d.X, d.Y, d.Z, -1);
            env.Step(action);
            maxTilt = Math.Max(maxTilt, Tilt(env));
        }
        Assert.That(Vector3.Distance(env.State.Hand, target), Is.LessThan(0.005f), $"hand {env.State.Hand}");
        Assert.That(maxTilt, Is.LessThan(5), "degrees off vertical on the way");
    }

    [Test]
    public void HandCrossesTheTableAtNearlyFullSpeed()
    {
        // 1 cm a step at full action: the feed-forward lets the damped servos keep up instead of trailing behind.
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(0);
        var start = env.State.Hand;
        var action = new float[] { 0, 1, -0.5f, -1 };
        for (int t = 0; t < 25; t++) env.Step(action);
        Assert.That(Vector3.Distance(env.State.Hand, start), Is.GreaterThan(0.22f), $"hand {env.State.Hand}");
    }

    [Test]
    public void HandPushedDownStopsAboveTheTableAndStillSlidesAtFullSpeed()
    {
        // A policy that holds z at -1 must not press the finger tips into the table: with the floor at the table the
        // hand then slid 2.3 cm in these 20 full sideways steps, pinned by friction.
        using var env = new FrankaEnv(FrankaSuite.CreateTask("push"));
        env.Reset(0);
        var down = new float[] { 0, -0.3f, -1, 1 };
        for (int t = 0; t < 40; t++) env.Step(down);
        Assert.That(env.State.Hand.Z, Is.InRange(0.015f, 0.025f), "the TCP rests near the workspace floor, 2 cm up");
        var start = env.State.Hand;
        var sideways = new float[] { 1, 0, -1, 1 };
        for (int t = 0; t < 20; t++) env.Step(sideways);
        Assert.That(env.State.Hand.X - start.X, Is.GreaterThan(0.16f), $"hand {env.State.Hand} from {start}");
        Assert.That(env.State.Hand.Z, Is.GreaterThan(0.015f));
    }

    private static double Tilt(FrankaEnv env)
    {
        var physics = env.Physics;
        var flange = physics.SitePosition(physics.Id(MjObject.Site, "flange_site"));
        var axis = Vector3.Normalize(physics.EndEffectorPosition - flange);
        return Math.Acos(Math.Clamp(-axis.Z, -1, 1)) * 180 / Math.PI;
    }
}
