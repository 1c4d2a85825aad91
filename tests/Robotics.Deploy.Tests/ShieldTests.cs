using System.Numerics;
using NUnit.Framework;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;
using Robotics.Deploy.Safety;
using Robotics.Envs.Franka;

namespace Robotics.Deploy.Tests;

/// <summary>The shield on real Franka states (the simulated arm at home), one decision at a time.</summary>
public class ShieldTests
{
    private const double Period = 0.05;
    private SimulatedFranka _sim = null!;
    private RobotState _home = null!;

    [OneTimeSetUp]
    public void Arm()
    {
        _sim = new SimulatedFranka("reach", 250, 250);
        _sim.Reset(0, CommandMode.EndEffectorDelta);
        _home = _sim.ReadState(0, 0, false);
    }

    [OneTimeTearDown]
    public void Release() => _sim.Dispose();

    private (SafetyShield Shield, InterventionLog Log) Shield(SafetyLimits? limits = null, CommandMode mode = CommandMode.EndEffectorDelta)
    {
        var log = new InterventionLog();
        var scaling = ActionScaling.ForControl(mode == CommandMode.EndEffectorDelta ? ControlMode.EndEffector : ControlMode.JointDelta);
        return (new SafetyShield(limits ?? new SafetyLimits(), _sim.Capabilities, scaling, Period, log), log);
    }

    [Test]
    public void NonFiniteActionsBecomeHolds()
    {
        var (shield, log) = Shield();
        int step = 0;
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var command = shield.Filter([0.2f, bad, 0, 1], _home, 5, new ShieldStep(0, step++, 0));
            Assert.That(command.Kind, Is.EqualTo(CommandKind.Hold));
        }
        Assert.That(log.CountOf(InterventionKind.NonFiniteAction), Is.EqualTo(3));
        Assert.That(log.All[0].Reason, Does.Contain("action[1] is NaN"));
    }

    [Test]
    public void ActionsAreClippedAndRateLimited()
    {
        var (shield, log) = Shield();
        var first = shield.Filter([3f, 0, 0, -1], _home, 1, new ShieldStep(0, 0, 0));
        Assert.That(first.EndEffectorDelta.X, Is.EqualTo(0.01f).Within(1e-7), "clipped to 1 → 1 cm");
        Assert.That(log.CountOf(InterventionKind.ActionClipped), Is.EqualTo(1));
        var reversal = shield.Filter([-1f, 0, 0, -1], _home, 2, new ShieldStep(0, 1, 0.05));
        Assert.That(log.CountOf(InterventionKind.RateLimited), Is.EqualTo(1));
        Assert.That(reversal.EndEffectorDelta.X, Is.EqualTo(0f).Within(1e-7), "from +1 the action may fall by at most 1 a step");
        Assert.That(reversal.GripperWidth, Is.EqualTo(0.08).Within(1e-6), "−1 opens the gripper fully");
    }

    [Test]
    public void SpeedAndAccelerationLimitsScaleTheMotion()
    {
        var (shield, log) = Shield(new SafetyLimits { MaxEndEffectorSpeed = 0.1, MaxEndEffectorAcceleration = 1.0 });
        var command = shield.Filter([1f, 1f, -1f, 0], _home, 1, new ShieldStep(0, 0, 0));
        double speed = command.EndEffectorDelta.Length() / Period;
        Assert.That(speed, Is.LessThanOrEqualTo(1.0 * Period + 1e-6), "from rest the velocity may grow by a_max·dt");
        Assert.That(log.CountOf(InterventionKind.EndEffectorAcceleration), Is.EqualTo(1));
        for (int k = 1; k < 10; k++) command = shield.Filter([1f, 1f, -1f, 0], _home, (uint)k + 1, new ShieldStep(0, k, k * Period));
        Assert.That(command.EndEffectorDelta.Length() / Period, Is.EqualTo(0.1).Within(1e-4), "after the ramp the speed sits at its limit");
        Assert.That(log.CountOf(InterventionKind.EndEffectorSpeed), Is.GreaterThan(0));
        Assert.That(Vector3.Normalize(command.EndEffectorDelta), Is.EqualTo(Vector3.Normalize(new Vector3(1, 1, -1))).Using<Vector3>((a, b) => Vector3.Distance(a, b) < 1e-4f),
                    "limits shrink the motion, never turn it");
    }

    [Test]
    public void TargetsOutsideTheWorkspaceAreClampedToIt()
    {
        // A box whose top is 1 cm above the commanded target: moving up 1 cm a step reaches it at once.
        var top = _home.CommandedEndEffectorPosition.Z + 0.01f;
        var (shield, log) = Shield(new SafetyLimits { WorkspaceLow = new Vector3(-0.5f, 0.25f, 0f), WorkspaceHigh = new Vector3(0.5f, 0.85f, top) });
        var state = _home;
        for (int k = 0; k < 5; k++)
        {
            var command = shield.Filter([0, 0, 1f, 0], state, (uint)k + 1, new ShieldStep(0, k, k * Period));
            shield.Sent((uint)k + 1, command);
        }
        // Nothing was applied yet (LastAppliedCommand = 0): every delta is in flight and counts toward the target.
        Assert.That(log.CountOf(InterventionKind.Workspace), Is.EqualTo(4), "the first step reaches the top; the next four would pass it");
        var late = shield.Filter([0, 0, 1f, 0], state with { LastAppliedCommand = 5, CommandedEndEffectorPosition = _home.CommandedEndEffectorPosition with { Z = top } },
                                 6, new ShieldStep(0, 5, 5 * Period));
        Assert.That(late.EndEffectorDelta.Z, Is.EqualTo(0f).Within(1e-6));
        Assert.That(log.All.Where(i => i.Kind == InterventionKind.Workspace).Select(i => i.Reason), Has.All.Contain("outside the workspace"));
    }

    [Test]
    public void JointLimitsStopMotionThatWouldCrossThem()
    {
        // Put joint 4 right at its upper limit less the margin; any motion that raises it further must be scaled away.
        var caps = _sim.Capabilities;
        var q = (float[])_home.JointPositions.Clone();
        q[3] = caps.JointUpper[3] - 0.05f;
        var state = _home with { JointPositions = q };
        var (shield, log) = Shield();
        // Find the Cartesian direction that raises joint 4 (its row of the DLS inverse).
        Span<double> dq = stackalloc double[7];
        Vector3 raise = Vector3.Zero;
        foreach (var d in new[] { Vector3.UnitX, -Vector3.UnitX, Vector3.UnitY, -Vector3.UnitY, Vector3.UnitZ, -Vector3.UnitZ })
        {
            JacobianMotion.ToJoints(state.Jacobian, d * 0.01f, dq);
            if (dq[3] > 0.001) { raise = d; break; }
        }
        Assert.That(raise, Is.Not.EqualTo(Vector3.Zero), "some axis raises joint 4");
        var command = shield.Filter([raise.X, raise.Y, raise.Z, 0], state, 1, new ShieldStep(0, 0, 0));
        Assert.That(command.EndEffectorDelta.Length(), Is.LessThan(1e-6f));
        Assert.That(log.CountOf(InterventionKind.JointPositionLimit), Is.EqualTo(1));
    }

    [Test]
    public void JointTargetsStayInRangeAndUnderTheSpeedLimit()
    {
        using var sim = new SimulatedFranka("reach", 250, 250);
        sim.Reset(0, CommandMode.JointTargets);
        var state = sim.ReadState(0, 0, false);
        var (shield, log) = Shield(new SafetyLimits { JointVelocityFraction = 0.1 }, CommandMode.JointTargets);
        var command = shield.Filter([1, 1, 1, 1, 1, 1, 1, 0], state, 1, new ShieldStep(0, 0, 0));
        Assert.That(command.Kind, Is.EqualTo(CommandKind.JointTargets));
        var caps = sim.Capabilities;
        for (int i = 0; i < 7; i++)
        {
            double speed = Math.Abs(command.JointTargets[i] - state.JointPositions[i]) / Period;
            Assert.That(speed, Is.LessThanOrEqualTo(caps.JointVelocityLimits[i] * 0.1 + 1e-4), $"joint {i + 1}");
            Assert.That(command.JointTargets[i], Is.InRange(caps.JointLower[i] + 0.05f - 1e-6f, caps.JointUpper[i] - 0.05f + 1e-6f));
        }
        Assert.That(log.CountOf(InterventionKind.JointVelocityLimit), Is.EqualTo(1));
    }

    [Test]
    public void WatchdogHoldsOnStaleStateStopsAfterTheGapAndLatchesOperatorStops()
    {
        var dog = new Watchdog(new WatchdogOptions { StateDeadlineMs = 100, StopAfterMs = 500 }, 0);
        Assert.That(dog.CheckState(10_000, 20).Action, Is.EqualTo(WatchdogAction.Proceed));
        var stale = dog.CheckState(200_000, 150);
        Assert.That((stale.Action, stale.Kind), Is.EqualTo((WatchdogAction.Hold, InterventionKind.StaleState)));
        Assert.That(dog.CheckState(300_000, null).Reason, Does.Contain("no state"));
        var stop = dog.CheckState(600_000, 400);
        Assert.That((stop.Action, stop.Kind), Is.EqualTo((WatchdogAction.Stop, InterventionKind.WatchdogStop)));
        dog.Restart(1_000_000);
        Assert.That(dog.PolicyMissed(1_100_000, InterventionKind.PolicyTimeout, "slow").Action, Is.EqualTo(WatchdogAction.Hold));
        Assert.That(dog.PolicyMissed(1_600_000, InterventionKind.PolicyTimeout, "slow").Action, Is.EqualTo(WatchdogAction.Stop));
        dog.Restart(2_000_000);
        dog.RequestOperatorStop("button");
        var op = dog.CheckState(2_000_001, 1);
        Assert.That((op.Action, op.Kind, op.Reason), Is.EqualTo((WatchdogAction.Stop, InterventionKind.OperatorStop, "button")));
    }
}
