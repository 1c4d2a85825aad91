using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>button-press-topdown: press the button down from above by at least 2 of its 2.5 cm (Meta-World button-press-topdown-v2).</summary>
public sealed class ButtonPressTopdownTask : FixtureTask
{
    /// <summary>Button box range (world frame, m): centre of its footprint on the table.</summary>
    public static readonly Vector3 FixtureLow = new(-0.1f, 0.6f, 0f), FixtureHigh = new(0.1f, 0.7f, 0f);
    /// <summary>Press depth (m) that counts as pressed; the cap travels 0.025 until flush with the box.</summary>
    public const double PressedDepth = 0.02;
    /// <summary>The TCP sits this far above the closed finger tips, which do the pressing.</summary>
    public const float FingertipDrop = 0.0131f;

    public override string Name => "button-press-topdown";
    public override string Instruction => "Press the red button down from above.";
    public override string StateDescription => """
        Hand: fingertip centre (TCP, m); the closed finger tips are 0.013 below it. Object: top centre of the button
        cap (m). Object2: the button box origin (footprint centre on the table; box top at z = 0.10). Joint: press
        depth (m), 0 = released (cap top at z = 0.125), 0.025 = flush. Goal: the cap top when fully pressed.
        Success: Joint >= 0.02.
        """;

    protected override string FixtureBody => "button_box";
    protected override string MovingBody => "button";
    protected override string JointName => "button_joint";
    protected override string HandleSite => "button_top";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override double InitialJoint => 0;
    protected override double GoalJoint => 0.025;
    protected override Vector3 HandleOffset(double q) => new(0, 0, (float)(0.125 - q));
    public override (double Low, double High) SuccessInterval => (PressedDepth, double.PositiveInfinity);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + new Vector3(0, 0, FingertipDrop);

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        new(s => new Vector3(s.Object.X, s.Object.Y, 0.2f), 1, 0.01f),
        // Aim below the flush position: the spring pushes back, and the target leading the hand is what presses.
        new(s => HandleAt(s, 0.04) + new Vector3(0, 0, FingertipDrop), 1),
    ]);
}
