using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Core.Shaping;

namespace Robotics.Envs.Tasks;

/// <summary>pick-place: grasp the puck and bring its centre within 7 cm of a goal in the air (Meta-World pick-place-v2).</summary>
public sealed class PickPlaceTask : PuckTask
{
    /// <summary>Goal range (world frame, m): beyond the puck range, 5–30 cm above the table.</summary>
    public static readonly Vector3 GoalLow = new(-0.1f, 0.6f, 0.05f), GoalHigh = new(0.1f, 0.7f, 0.3f);
    /// <summary>Puck lift (m) above its resting height that counts as picked up.</summary>
    public const float LiftHeight = 0.01f;
    /// <summary>Fingertip-centre to puck distance under which the puck counts as between the fingers.</summary>
    private const float GraspRadius = 0.02f;

    public override string Name => "pick-place";
    public override string Instruction => "Pick up the red puck and place it at the green goal in the air.";
    public override string StateDescription => """
        Hand: fingertip centre (m). GripperOpening: 0 closed … 1 open. Object: puck centre (m), radius 0.02, resting
        at z = 0.02; ObjectOrientation: its quaternion. Goal: target for the puck centre, 5–30 cm above the table.
        HandInitial/ObjectInitial: positions at the episode start. Object2, Joint unused (zero).
        Success: |Object - Goal| <= 0.07 m.
        """;
    public override float SuccessRadius => 0.07f;

    protected override Vector3 SampleGoal(Rng rng) => Sampling.UniformBox(rng, GoalLow, GoalHigh);

    protected override Vector3 CarryTarget(in FrankaState s) => s.Goal;

    public override RewardResult ComputeReward(in FrankaState s, ReadOnlySpan<float> action)
    {
        double reach = ReachReward(s);
        double grasp = GraspReward(s, reach);
        double inPlace = InPlaceReward(s, SuccessRadius);
        double toGoal = Vector3.Distance(s.Object, s.Goal);
        bool lifted = s.Object.Z - s.ObjectInitial.Z > LiftHeight && Vector3.Distance(s.Hand, s.Object) < GraspRadius;
        bool success = toGoal <= SuccessRadius;
        // Meta-World pick-place-v2: Hamacher(grasp, in-place) always; once the puck is held off the table,
        // 1 + 5·in-place more, so lifting is the step that unlocks most of the reward.
        double reward = 3 * Tolerance.HamacherProduct(grasp, inPlace);
        if (lifted) reward += 1 + 5 * inPlace;
        if (success) reward = 10;
        return new RewardResult(reward, success,
            [("reward/reach", reach), ("reward/grasp", grasp), ("reward/in_place", inPlace), ("reward/lifted", lifted ? 1 : 0),
             ("obj_to_goal", toGoal)]);
    }

    /// <summary>Reaching the puck, shaped from the hand's start (Meta-World's caging margin).</summary>
    private static double ReachReward(in FrankaState s)
    {
        double margin = Math.Max(Vector3.Distance(s.HandInitial, s.ObjectInitial), 1e-6);
        return Tolerance.Of(Vector3.Distance(s.Hand, s.Object), 0, GraspRadius, margin, Sigmoid.LongTail);
    }

    /// <summary>Closed fingers around the puck: reaching it, AND-ed with how closed the gripper is.</summary>
    private static double GraspReward(in FrankaState s, double reach) =>
        Tolerance.HamacherProduct(reach, Math.Clamp(1 - s.GripperOpening, 0, 1));
}
