using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Core.Shaping;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tasks;

/// <summary>
/// What the articulated tasks share (drawer, door, button, window): a mocap fixture placed at random, one joint on
/// its moving part set to a start value, a handle site the hand works on, and a success interval on the joint.
/// State: Object = the handle site, ObjectOrientation = the moving part's orientation, Object2 = the fixture's
/// origin, Joint = the joint's position, Goal = the handle where the joint would be at <see cref="GoalJoint"/>.
/// Reward (Meta-World drawer-open-v2 form): 5·(reach the work point + joint progress), 10 on success.
/// </summary>
public abstract class FixtureTask : IFrankaTask
{
    private int _fixtureBody, _movingBody, _joint, _handleSite, _goalBody;
    private Vector3 _fixture, _goal;

    public abstract string Name { get; }
    public abstract string Instruction { get; }
    public abstract string StateDescription { get; }
    public string ModelFile => $"tasks/{Name}.xml";

    protected abstract string FixtureBody { get; }
    protected abstract string MovingBody { get; }
    protected abstract string JointName { get; }
    protected virtual string HandleSite => "handle";
    protected abstract Vector3 SampleFixture(Rng rng);
    protected abstract double InitialJoint { get; }
    /// <summary>The joint value the goal marker shows (fully open, closed, pressed).</summary>
    protected abstract double GoalJoint { get; }
    /// <summary>Handle position relative to the fixture origin at joint value q (assets/README.md formulas).</summary>
    protected abstract Vector3 HandleOffset(double q);
    /// <summary>The joint interval that counts as solved (infinite ends allowed).</summary>
    public abstract (double Low, double High) SuccessInterval { get; }
    /// <summary>Where the hand should be to work the handle (e.g. hooked behind it, or beside it to push).</summary>
    protected abstract Vector3 WorkPoint(in FrankaState s);
    /// <summary>Reaching the work point closer than this counts fully.</summary>
    protected virtual double ReachRadius => 0.02;

    public void Bind(FrankaPhysics physics)
    {
        _fixtureBody = physics.Id(MjObject.Body, FixtureBody);
        _movingBody = physics.Id(MjObject.Body, MovingBody);
        _joint = physics.Id(MjObject.Joint, JointName);
        _handleSite = physics.Id(MjObject.Site, HandleSite);
        _goalBody = physics.Id(MjObject.Body, "goal");
    }

    public void InitializeEpisode(FrankaPhysics physics, Rng rng)
    {
        _fixture = SampleFixture(rng);
        physics.SetMocapPosition(_fixtureBody, _fixture);
        physics.SetJointPosition(_joint, InitialJoint);
        _goal = _fixture + HandleOffset(GoalJoint);
        physics.SetMocapPosition(_goalBody, _goal);
    }

    public FrankaState ReadState(FrankaPhysics physics, FrankaState arm) => arm with
    {
        Object = physics.SitePosition(_handleSite),
        ObjectOrientation = physics.BodyQuaternion(_movingBody),
        Object2 = _fixture,
        Object2Orientation = Quaternion.Identity,
        Goal = _goal,
        Joint = (float)physics.JointPosition(_joint),
    };

    /// <summary>The handle at joint value q, from the fixture origin in the state (for experts).</summary>
    protected Vector3 HandleAt(in FrankaState s, double q) => s.Object2 + HandleOffset(q);

    public RewardResult ComputeReward(in FrankaState s, ReadOnlySpan<float> action)
    {
        var (low, high) = SuccessInterval;
        double toWork = Vector3.Distance(s.Hand, WorkPoint(s));
        // Margins from the episode start, as Meta-World's: the shaping reaches 0.1 where the episode began.
        var workAtStart = WorkPoint(s with { Hand = s.HandInitial, Object = s.ObjectInitial, Joint = (float)InitialJoint });
        double reachMargin = Math.Max(Vector3.Distance(s.HandInitial, workAtStart) - ReachRadius, 1e-6);
        double reach = Tolerance.Of(toWork, 0, ReachRadius, reachMargin, Sigmoid.LongTail);
        double progressMargin = Math.Max(InitialJoint < low ? low - InitialJoint : InitialJoint - high, 1e-6);
        double progress = Tolerance.Of(s.Joint, low, high, progressMargin, Sigmoid.LongTail);
        bool success = s.Joint >= low && s.Joint <= high;
        double reward = success ? 10 : 5 * (reach + progress);
        return new RewardResult(reward, success,
            [("reward/reach", reach), ("reward/progress", progress), ("hand_to_work_point", toWork), ("joint", s.Joint)]);
    }

    public abstract IScriptedPolicy CreateExpert();
}
