using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>door-open: swing the cabinet door open by at least 60° by its handle (Meta-World door-open-v2).</summary>
public sealed class DoorOpenTask : FixtureTask
{
    /// <summary>
    /// Cabinet range (world frame, m): centre of its footprint on the table; the door faces the robot. Meta-World's
    /// range shifted by −0.2 in y would start at 0.7; it starts at 0.72 here because the env's position-only IK lets
    /// the hand pitch forward more the nearer it works to the base, and nearer than that panda_link7 lands on the
    /// door's top edge before the fingers reach the handle.
    /// </summary>
    public static readonly Vector3 FixtureLow = new(0f, 0.72f, 0f), FixtureHigh = new(0.1f, 0.8f, 0f);
    /// <summary>Door angle (rad) that counts as open: π/3.</summary>
    public const double OpenedAngle = Math.PI / 3;
    /// <summary>Grasp point relative to the handle: up the bar, between its brackets, below the hand's clearance limit.</summary>
    public static readonly Vector3 GraspOffset = new(0, 0, 0.04f);

    public override string Name => "door-open";
    public override string Instruction => "Open the cabinet door by pulling its handle.";
    public override string StateDescription => """
        Hand: fingertip centre (m). GripperOpening: 0 closed … 1 open. Object: the handle, a vertical bar (z 0.10–0.20),
        centre point (m). Object2: the cabinet origin (footprint centre on the table). Joint: door angle (rad),
        0 = closed, positive = swung towards the robot about the hinge on the door's left edge, at most 1.92.
        Goal: the handle at 90°. Success: Joint >= π/3.
        """;
    protected override string FixtureBody => "cabinet";
    protected override string MovingBody => "door";
    protected override string JointName => "door_joint";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override double InitialJoint => 0;
    protected override double GoalJoint => Math.PI / 2;
    public override (double Low, double High) SuccessInterval => (OpenedAngle, double.PositiveInfinity);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + GraspOffset;

    /// <summary>Hinge at cabinet + (−0.15, −0.111, 0.15); the bar 0.26 along the door and 0.065 off its face.</summary>
    protected override Vector3 HandleOffset(double q) => new(
        (float)(-0.15 + 0.26 * Math.Cos(q) - 0.065 * Math.Sin(q)),
        (float)(-0.111 - 0.26 * Math.Sin(q) - 0.065 * Math.Cos(q)),
        0.15f);

    /// <summary>Hinge line (at mid-height of the door) relative to the cabinet origin.</summary>
    public static readonly Vector3 HingeOffset = new(-0.15f, -0.111f, 0.15f);
    /// <summary>Door angle (rad) up to which the expert pulls by the handle before switching to pushing from behind.</summary>
    public const double PullUntil = 0.55;
    /// <summary>Smallest door angle (rad) at which the fingers fit between the door and the cabinet.</summary>
    public const double MinPushAngle = 0.35;

    private static bool Slipped(in FrankaState s) => Vector3.Distance(s.Hand, s.Object + GraspOffset) > 0.05f;

    /// <summary>TCP height while pushing the door from behind: finger tips 4 cm below the door's top edge.</summary>
    private const float SweepHeight = 0.265f;

    /// <summary>A point on the door's inner (cabinet) side: <paramref name="along"/> from the hinge, <paramref name="behind"/> off the panel.</summary>
    private static Vector3 BehindDoor(in FrankaState s, double angle, float along, float behind, float z)
    {
        var hinge = s.Object2 + HingeOffset;
        float c = (float)Math.Cos(angle), n = (float)Math.Sin(angle);
        return new Vector3(hinge.X + along * c + behind * n, hinge.Y - along * n + behind * c, z);
    }

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // Open fingers in front of the bar, settled (tight tolerance) before going in: sinking below the bar's
        // top would put the hand on it.
        new(s => s.Object + GraspOffset - new Vector3(0, 0.1f, 0), -1, 0.004f, MinSteps: 10),
        new(s => s.Object + GraspOffset, -1, 0.008f),
        new(s => s.Object + GraspOffset, 1, 1f, MinSteps: 15),
        // Follow the handle's arc a little ahead of the current angle, so the pull is along the tangent. The hand
        // cannot yaw with the door (the controller holds no orientation), so the grip slips somewhere past 0.6 rad:
        // pull only to PullUntil (or until it slips), then finish by pushing the door's inner face.
        // A slip before MinPushAngle leaves too narrow a gap behind the door for the fingers: grasp again.
        new(s => HandleAt(s, s.Joint + 0.25) + GraspOffset, 1,
            Done: s => s.Joint >= PullUntil || (Slipped(s) && s.Joint >= MinPushAngle),
            Restart: s => Slipped(s) && s.Joint < MinPushAngle),
        // Let go and rise straight up, clear of the bar and of the door's top edge (z 0.29).
        new(s => new Vector3(s.Object.X, s.Object.Y, 0.33f), -1, 0.015f),
        // Over the gap between the door and the cabinet, then down into it only as far as the fingers: the hand
        // is 0.2 m wide and must stay above the door's top edge (z 0.29), 0.045 m above the TCP.
        new(s => BehindDoor(s, s.Joint, 0.27f, 0.05f, 0.33f), 1, 0.01f),
        new(s => BehindDoor(s, s.Joint, 0.27f, 0.05f, SweepHeight), 1, 0.01f),
        // Sweep the inner face outwards along its arc, a little ahead of the door.
        new(s => BehindDoor(s, Math.Min(s.Joint + 0.3, 1.5), 0.27f, 0.03f, SweepHeight), 1),
    ]);
}
