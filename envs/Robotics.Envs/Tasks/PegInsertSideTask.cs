using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Core.Shaping;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tasks;

/// <summary>
/// peg-insert-side: pick up the peg lying on the table and push its head at least 3 cm into the side hole of a box
/// (Meta-World peg-insert-side-v2). The scene is turned 90° about z from Meta-World's (peg along y, hole facing the
/// robot): the action has no wrist yaw, so the fingers close along world x and can only grasp a peg lying along y.
/// </summary>
public sealed class PegInsertSideTask : IFrankaTask
{
    /// <summary>Peg centre range (world frame, m): lying along y on the table, in front of the robot.</summary>
    public static readonly Vector3 PegLow = new(-0.1f, 0.38f, 0.015f), PegHigh = new(0.1f, 0.46f, 0.015f);
    /// <summary>Box range (world frame, m): centre of its footprint; the hole entrance is at box + (0, −0.06, 0.13).</summary>
    public static readonly Vector3 BoxLow = new(-0.1f, 0.68f, 0f), BoxHigh = new(0.1f, 0.74f, 0f);
    public static readonly Vector3 HoleOffset = new(0, -0.06f, 0.13f);
    /// <summary>How deep (m) the head must be inside the hole, and how far off its axis it may be (the hole's half-width).</summary>
    public const float InsertDepth = 0.03f, AxisTolerance = 0.0225f;
    /// <summary>Peg head (the +y end) relative to the peg centre, in the peg's frame.</summary>
    public static readonly Vector3 HeadOffset = new(0, 0.1f, 0);
    private const float GraspRadius = 0.02f;
    /// <summary>
    /// Where the peg is grasped, from its centre in its frame: 6 cm towards the tail. The hand pitches forward
    /// (position-only IK) so panda_link7 rides ~0.1 m ahead of the TCP; held at its centre, the peg is too short
    /// to keep link7 off the box's upper face while the head goes 3 cm in.
    /// </summary>
    public static readonly Vector3 GraspOffset = new(0, -0.06f, 0);

    private int _pegBody, _pegJoint, _boxBody, _goalBody;
    private Vector3 _hole;

    public string Name => "peg-insert-side";
    public string Instruction => "Pick up the green peg and insert its far end into the hole in the side of the blue box.";
    public string ModelFile => "tasks/peg-insert-side.xml";
    public string StateDescription => """
        Hand: fingertip centre (m). GripperOpening: 0 closed … 1 open. Object: peg centre (m); the peg is a 0.03 x 0.2
        x 0.03 bar lying along y; ObjectOrientation: its quaternion; its head is Object + rotate(ObjectOrientation,
        (0, 0.1, 0)). Object2 and Goal: the hole entrance (m), a 0.045 square hole running along +y into the box,
        its axis 0.13 above the table. HandInitial/ObjectInitial: positions at the episode start. Joint unused.
        Success: head at least 0.03 past the entrance along +y and within 0.0225 of the hole axis in x and z.
        """;

    public void Bind(FrankaPhysics physics)
    {
        _pegBody = physics.Id(MjObject.Body, "peg");
        _pegJoint = physics.Id(MjObject.Joint, "peg_joint");
        _boxBody = physics.Id(MjObject.Body, "peg_box");
        _goalBody = physics.Id(MjObject.Body, "goal");
    }

    public void InitializeEpisode(FrankaPhysics physics, Rng rng)
    {
        physics.SetFreeBodyPose(_pegJoint, Sampling.UniformBox(rng, PegLow, PegHigh));
        var box = Sampling.UniformBox(rng, BoxLow, BoxHigh);
        physics.SetMocapPosition(_boxBody, box);
        _hole = box + HoleOffset;
        physics.SetMocapPosition(_goalBody, _hole);
    }

    public FrankaState ReadState(FrankaPhysics physics, FrankaState arm) => arm with
    {
        Object = physics.BodyPosition(_pegBody),
        ObjectOrientation = physics.BodyQuaternion(_pegBody),
        Object2 = _hole,
        Object2Orientation = Quaternion.Identity,
        Goal = _hole,
    };

    public static Vector3 GraspPoint(in FrankaState s) => s.Object + Vector3.Transform(GraspOffset, s.ObjectOrientation);

    public static Vector3 Head(in FrankaState s) => s.Object + Vector3.Transform(HeadOffset, s.ObjectOrientation);

    public static bool Inserted(Vector3 head, Vector3 hole) =>
        head.Y - hole.Y >= InsertDepth && Math.Abs(head.X - hole.X) <= AxisTolerance && Math.Abs(head.Z - hole.Z) <= AxisTolerance;

    public RewardResult ComputeReward(in FrankaState s, ReadOnlySpan<float> action)
    {
        var head = Head(s);
        var inserted = s.Goal + new Vector3(0, InsertDepth, 0);
        double reachMargin = Math.Max(Vector3.Distance(s.HandInitial, s.ObjectInitial + GraspOffset), 1e-6);
        double reach = Tolerance.Of(Vector3.Distance(s.Hand, GraspPoint(s)), 0, GraspRadius, reachMargin, Sigmoid.LongTail);
        double grasp = Tolerance.HamacherProduct(reach, Math.Clamp(1 - s.GripperOpening, 0, 1));
        // In-place margin: the head's distance to the inserted point at the start (peg centre + head offset, unrotated).
        double placeMargin = Math.Max(Vector3.Distance(s.ObjectInitial + HeadOffset, inserted), 1e-6);
        double toInserted = Vector3.Distance(head, inserted);
        double inPlace = Tolerance.Of(toInserted, 0, AxisTolerance, placeMargin, Sigmoid.LongTail);
        bool lifted = s.Object.Z - s.ObjectInitial.Z > 0.01f && Vector3.Distance(s.Hand, GraspPoint(s)) < GraspRadius;
        bool success = Inserted(head, s.Goal);
        // Meta-World peg-insert-side-v2's shape: Hamacher(grasp, in-place), plus 1 + 5·in-place once the peg is held up.
        double reward = 3 * Tolerance.HamacherProduct(grasp, inPlace);
        if (lifted) reward += 1 + 5 * inPlace;
        if (success) reward = 10;
        return new RewardResult(reward, success,
            [("reward/reach", reach), ("reward/grasp", grasp), ("reward/in_place", inPlace), ("reward/lifted", lifted ? 1 : 0),
             ("head_to_inserted", toInserted)]);
    }

    /// <summary>Moves the hand so that the peg's head goes to <paramref name="point"/> (the grip holds head − hand fixed).</summary>
    private static Vector3 HeadTo(in FrankaState s, Vector3 point) => s.Hand + (point - Head(s));

    public IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        new(s => GraspPoint(s) with { Z = 0.1f }, -1, 0.01f),
        // TCP 5 mm above the peg's axis: the pads then hold its upper half without the tips touching the table.
        new(s => GraspPoint(s) with { Z = 0.02f }, -1, 0.006f),
        new(s => GraspPoint(s) with { Z = 0.02f }, 1, 1f, MinSteps: 15),
        new(s => (s.ObjectInitial + GraspOffset) with { Z = HoleOffset.Z + 0.01f }, 1, 0.015f),
        // Line the head up 4 cm in front of the entrance, steering by the head itself: the hand pitches a little
        // (position-only IK), which tilts the peg, so the hand's own position is not where the head is.
        new(s => HeadTo(s, s.Goal - new Vector3(0, 0.04f, 0)), 1,
            Done: s => Vector3.Distance(Head(s), s.Goal - new Vector3(0, 0.04f, 0)) < 0.006f),
        new(s => HeadTo(s, s.Goal + new Vector3(0, 0.06f, 0)), 1),
    ]);
}
