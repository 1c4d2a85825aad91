using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>window-close: slide the open window sash to the left (−x) until it is within 5 cm of closed (Meta-World window-close-v2).</summary>
public sealed class WindowCloseTask : FixtureTask
{
    /// <summary>
    /// Window frame range (world frame, m): centred in x, as Meta-World's window-close. Meta-World's y range shifted
    /// by −0.2 would be [0.55, 0.7]; it starts at 0.62 for the reason <see cref="WindowOpenTask.FixtureLow"/> gives.
    /// </summary>
    public static readonly Vector3 FixtureLow = new(0f, 0.62f, 0f), FixtureHigh = new(0f, 0.72f, 0f);
    /// <summary>Slide (m) at the start of an episode: fully open.</summary>
    public const double StartSlide = 0.2;
    /// <summary>Slide (m) at or under which the window counts as closed.</summary>
    public const double ClosedSlide = 0.05;
    /// <summary>Push point relative to the handle: closed fingers on the bar's right (+x) side.</summary>
    public static readonly Vector3 PushOffset = new(0.035f, -0.01f, 0.045f);

    public override string Name => "window-close";
    public override string Instruction => "Slide the open window closed to the left.";
    public override string StateDescription => WindowText.Describe("it starts at 0.2 (open)", "Joint <= 0.05");
    protected override string FixtureBody => "window_frame";
    protected override string MovingBody => "window";
    protected override string JointName => "window_joint";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override double InitialJoint => StartSlide;
    protected override double GoalJoint => 0;
    protected override Vector3 HandleOffset(double q) => WindowText.HandleOffset(q);
    public override (double Low, double High) SuccessInterval => (double.NegativeInfinity, ClosedSlide);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + PushOffset;

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // In front of the bar at its mid-height, then straight in: coming down from above would put the hand
        // on the frame's top rail, and pushing at mid-height keeps the hand below it.
        new(s => s.Object + PushOffset - new Vector3(0, 0.08f, 0), 1, 0.01f),
        new(s => s.Object + PushOffset, 1, 0.008f),
        new(s => HandleAt(s, -0.05) + PushOffset, 1),
    ]);
}
