using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>drawer-close: push the drawer, which starts 15 cm out, closed to within 2 cm (Meta-World drawer-close-v2).</summary>
public sealed class DrawerCloseTask : FixtureTask
{
    /// <summary>Casing range (world frame, m): centre of its footprint on the table; the drawer faces the robot.</summary>
    public static readonly Vector3 FixtureLow = new(-0.1f, 0.75f, 0f), FixtureHigh = new(0.1f, 0.75f, 0f);
    /// <summary>Drawer travel (m) at the start of an episode, as Meta-World.</summary>
    public const double StartTravel = 0.15;
    /// <summary>Travel (m) at or under which the drawer counts as closed.</summary>
    public const double ClosedTravel = 0.02;
    /// <summary>Push point relative to the handle: closed fingers against the robot side of the bar.</summary>
    public static readonly Vector3 PushOffset = new(0, -0.02f, 0);

    public override string Name => "drawer-close";
    protected override string FixtureBody => "drawer_box";
    protected override string MovingBody => "drawer";
    protected override string JointName => "drawer_joint";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override Vector3 HandleOffset(double q) => new(0, (float)(-0.215 - q), 0.12f);
    public override string Instruction => "Push the open drawer closed.";
    public override string StateDescription => """
        Hand: fingertip centre (m). Object: the handle bar centre (m); the bar runs along x, 4.5 cm in front of the
        drawer face. Object2: the casing origin (footprint centre on the table). Joint: drawer travel (m), 0 = closed,
        0.2 = fully out; it starts at 0.15. Goal: the handle when closed. Success: Joint <= 0.02.
        """;
    protected override double InitialJoint => StartTravel;
    protected override double GoalJoint => 0;
    public override (double Low, double High) SuccessInterval => (double.NegativeInfinity, ClosedTravel);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + PushOffset;

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // In front of the bar, high, then down to bar height, so the descent cannot land on the open drawer.
        new(s => new Vector3(s.Object.X, s.Object.Y - 0.05f, 0.2f), 1, 0.015f),
        new(s => new Vector3(s.Object.X, s.Object.Y - 0.05f, s.Object.Z), 1, 0.01f),
        // Push along +y to beyond the closed position.
        new(s => HandleAt(s, -0.03) + PushOffset, 1),
    ]);
}
