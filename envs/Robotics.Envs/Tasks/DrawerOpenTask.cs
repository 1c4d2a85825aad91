using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>drawer-open: pull the drawer out at least 15 cm (Meta-World drawer-open-v2).</summary>
public sealed class DrawerOpenTask : FixtureTask
{
    /// <summary>Casing range (world frame, m): centre of its footprint on the table; the drawer faces the robot.</summary>
    public static readonly Vector3 FixtureLow = new(-0.1f, 0.75f, 0f), FixtureHigh = new(0.1f, 0.75f, 0f);
    /// <summary>Drawer travel (m) that counts as open; the slide ends at 0.2.</summary>
    public const double OpenedTravel = 0.15;
    /// <summary>Hook point relative to the handle: closed fingers down behind the bar, between it and the drawer face.</summary>
    public static readonly Vector3 HookOffset = new(0, 0.022f, -0.01f);

    public override string Name => "drawer-open";
    protected override string FixtureBody => "drawer_box";
    protected override string MovingBody => "drawer";
    protected override string JointName => "drawer_joint";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override Vector3 HandleOffset(double q) => new(0, (float)(-0.215 - q), 0.12f);
    public override string Instruction => "Pull the drawer open by its handle.";
    public override string StateDescription => """
        Hand: fingertip centre (m). Object: the handle bar centre (m); the bar runs along x, 4.5 cm in front of the
        drawer face. Object2: the casing origin (footprint centre on the table). Joint: drawer travel (m), 0 = closed,
        0.2 = fully out, pulled along -y. Goal: the handle when fully out. Success: Joint >= 0.15.
        """;
    protected override double InitialJoint => 0;
    protected override double GoalJoint => 0.2;
    public override (double Low, double High) SuccessInterval => (OpenedTravel, double.PositiveInfinity);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + HookOffset;

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // Closed fingers above the gap between bar and face, high enough to clear the bar on the way.
        // The gap is 3.5 cm deep, so each leg ends settled (tight tolerance) before the next starts: an overshoot
        // of the 1 cm/step motion would land the fingers on the drawer face or the hand on the casing top.
        new(s => new Vector3(s.Object.X, s.Object.Y + HookOffset.Y, 0.2f), 1, 0.005f),
        new(s => new Vector3(s.Object.X, s.Object.Y + HookOffset.Y, 0.15f), 1, 0.005f),
        // Hooked once the finger tips are below the bar's centre; contact with the face may keep the hand a few
        // millimetres off the exact hook point, so that is not what the phase waits for.
        new(s => s.Object + HookOffset, 1, Done: s => s.Hand.Z < s.Object.Z - 0.004f && Math.Abs(s.Hand.Y - s.Object.Y - HookOffset.Y) < 0.008f),
        // Pull towards the robot past full travel; the controller caps the lead so the hook cannot wind up.
        new(s => HandleAt(s, 0.25) + HookOffset, 1),
    ]);
}
