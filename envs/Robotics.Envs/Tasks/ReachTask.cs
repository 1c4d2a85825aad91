using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Core.Shaping;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tasks;

/// <summary>reach: bring the fingertips within 5 cm of a random goal point above the table (Meta-World reach-v2).</summary>
public sealed class ReachTask : IFrankaTask, IGoalTask
{
    public const float SuccessRadius = 0.05f;
    /// <summary>
    /// Goal range (world frame, metres): Meta-World reach-v2's, y shifted by −0.2 like every range here (assets/README.md),
    /// so the goal lies 20–37 cm from the hand's start at (0, 0.4, 0.2), 5–30 cm above the table.
    /// </summary>
    public static readonly Vector3 GoalLow = new(-0.1f, 0.6f, 0.05f), GoalHigh = new(0.1f, 0.7f, 0.3f);

    private int _goalBody;
    private Vector3 _goal;

    public string Name => "reach";
    public string Instruction => "Move the robot's gripper fingertips to the green goal point.";
    public string ModelFile => "tasks/reach.xml";
    public string StateDescription => """
        Hand: fingertip centre (m). Goal: the target point (m). HandInitial: Hand at the episode start.
        Object, Object2, Joint are unused (zero). Success: |Hand - Goal| <= 0.05 m.
        """;

    public void Bind(FrankaPhysics physics) => _goalBody = physics.Id(MjObject.Body, "goal");

    public void InitializeEpisode(FrankaPhysics physics, Rng rng)
    {
        _goal = Sampling.UniformBox(rng, GoalLow, GoalHigh);
        physics.SetMocapPosition(_goalBody, _goal);
    }

    public FrankaState ReadState(FrankaPhysics physics, FrankaState arm) => arm with { Goal = _goal };

    public Vector3 AchievedGoal(in FrankaState s) => s.Hand;

    public bool AchievedUntouched(in FrankaState s, Vector3 goal) => false;

    public RewardResult ComputeReward(in FrankaState s, ReadOnlySpan<float> action)
    {
        double toGoal = Vector3.Distance(s.Hand, s.Goal);
        double margin = Math.Max(Vector3.Distance(s.HandInitial, s.Goal), 1e-6);
        double inPlace = Tolerance.Of(toGoal, 0, SuccessRadius, margin, Sigmoid.LongTail);
        return new RewardResult(10 * inPlace, toGoal <= SuccessRadius, [("reward/in_place", inPlace), ("hand_to_goal", toGoal)]);
    }

    public IScriptedPolicy CreateExpert() => new Expert();

    private sealed class Expert : IScriptedPolicy
    {
        public void Reset() { }

        public void Act(in FrankaState s, Span<float> action)
        {
            Steering.Toward(s.Hand, s.Goal, action);
            action[3] = -1;
        }
    }
}
