using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Core.Shaping;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tasks;

/// <summary>
/// What push and pick-place share: a free puck (body "obj", joint "obj_joint") placed at random, a goal marker
/// placed at random at least <see cref="MinSeparation"/> away in xy (Meta-World redraws until they are apart),
/// and the grasp-and-carry expert (Meta-World's push-v2 policy also grasps the puck rather than shoving it).
/// </summary>
public abstract class PuckTask : IFrankaTask, IGoalTask
{
    /// <summary>Puck centre range (world frame, m): resting on the table in front of the robot.</summary>
    public static readonly Vector3 ObjectLow = new(-0.1f, 0.4f, 0.02f), ObjectHigh = new(0.1f, 0.5f, 0.02f);
    public const float MinSeparation = 0.15f;

    private int _objBody, _objJoint, _goalBody;
    private Vector3 _goal;

    public abstract string Name { get; }
    public abstract string Instruction { get; }
    public abstract string StateDescription { get; }
    public string ModelFile => $"tasks/{Name}.xml";
    public abstract float SuccessRadius { get; }
    protected abstract Vector3 SampleGoal(Rng rng);
    /// <summary>Where the hand carries the puck: the goal, raised for push so the puck does not drag on the table.</summary>
    protected abstract Vector3 CarryTarget(in FrankaState s);

    public void Bind(FrankaPhysics physics)
    {
        _objBody = physics.Id(MjObject.Body, "obj");
        _objJoint = physics.Id(MjObject.Joint, "obj_joint");
        _goalBody = physics.Id(MjObject.Body, "goal");
    }

    public void InitializeEpisode(FrankaPhysics physics, Rng rng)
    {
        Vector3 obj;
        do
        {
            obj = Sampling.UniformBox(rng, ObjectLow, ObjectHigh);
            _goal = SampleGoal(rng);
        } while (Vector2.Distance(new(obj.X, obj.Y), new(_goal.X, _goal.Y)) < MinSeparation);
        physics.SetFreeBodyPose(_objJoint, obj);
        physics.SetMocapPosition(_goalBody, _goal);
    }

    public FrankaState ReadState(FrankaPhysics physics, FrankaState arm) => arm with
    {
        Object = physics.BodyPosition(_objBody),
        ObjectOrientation = physics.BodyQuaternion(_objBody),
        Goal = _goal,
    };

    public abstract RewardResult ComputeReward(in FrankaState state, ReadOnlySpan<float> action);

    public Vector3 AchievedGoal(in FrankaState s) => s.Object;

    public bool AchievedUntouched(in FrankaState s, Vector3 goal) => Vector3.Distance(goal, s.ObjectInitial) <= SuccessRadius;

    protected static double InPlaceReward(in FrankaState s, float radius)
    {
        double margin = Math.Max(Vector3.Distance(s.ObjectInitial, s.Goal), 1e-6);
        return Tolerance.Of(Vector3.Distance(s.Object, s.Goal), 0, radius, margin, Sigmoid.LongTail);
    }

    public IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // Above the puck with the fingers open, so the descent cannot knock it.
        new(s => new(s.Object.X, s.Object.Y, 0.1f), -1, 0.01f),
        // TCP to the puck centre: the pads then close on its widest part.
        new(s => s.Object, -1, 0.008f),
        // Hold still while the fingers close (a full close takes ~0.19 s = 15 steps).
        new(s => s.Object, 1, 1f, MinSteps: 15),
        // Lift clear of the table before travelling, so friction cannot pull the puck out of the grasp.
        new(s => new(s.ObjectInitial.X, s.ObjectInitial.Y, 0.06f), 1, 0.015f),
        new(s => CarryTarget(s), 1),
    ]);
}
