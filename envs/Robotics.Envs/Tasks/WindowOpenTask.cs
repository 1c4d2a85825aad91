using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>window-open: slide the window sash to the right (+x) by at least 15 of its 20 cm (Meta-World window-open-v2).</summary>
public sealed class WindowOpenTask : FixtureTask
{
    /// <summary>
    /// Window frame range (world frame, m): centre of its footprint on the table, facing the robot. Meta-World's
    /// range shifted by −0.2 in y would be [0.5, 0.7]; it starts at 0.62 here because the env's position-only IK
    /// lets the hand pitch forward more the nearer it works to the base, and nearer than y ≈ 0.62 panda_link7
    /// lands on the frame's top rail before the fingers reach the handle (see <see cref="WindowText"/>).
    /// </summary>
    public static readonly Vector3 FixtureLow = new(-0.1f, 0.62f, 0f), FixtureHigh = new(0.1f, 0.72f, 0f);
    /// <summary>Slide (m) that counts as open: the handle within 5 cm of its fully-open place, Meta-World's radius.</summary>
    public const double OpenedSlide = 0.15;
    /// <summary>Push point relative to the handle: closed fingers on the bar's left (−x) side.</summary>
    public static readonly Vector3 PushOffset = new(-0.035f, -0.01f, 0.045f);

    public override string Name => "window-open";
    public override string Instruction => "Slide the window open to the right.";
    public override string StateDescription => WindowText.Describe("it starts at 0 (closed)", "Joint >= 0.15");
    protected override string FixtureBody => "window_frame";
    protected override string MovingBody => "window";
    protected override string JointName => "window_joint";
    protected override Vector3 SampleFixture(Rng rng) => Sampling.UniformBox(rng, FixtureLow, FixtureHigh);
    protected override double InitialJoint => 0;
    protected override double GoalJoint => 0.2;
    protected override Vector3 HandleOffset(double q) => WindowText.HandleOffset(q);
    public override (double Low, double High) SuccessInterval => (OpenedSlide, double.PositiveInfinity);
    protected override Vector3 WorkPoint(in FrankaState s) => s.Object + PushOffset;

    public override IScriptedPolicy CreateExpert() => new PhasedExpert(
    [
        // Above the push point (clear of the handle's top bracket), then straight down beside the bar.
        // In front of the bar at its mid-height, then straight in: coming down from above would put the hand
        // on the frame's top rail, and pushing at mid-height keeps the hand below it.
        new(s => s.Object + PushOffset - new Vector3(0, 0.08f, 0), 1, 0.01f),
        new(s => s.Object + PushOffset, 1, 0.008f),
        new(s => HandleAt(s, 0.25) + PushOffset, 1),
    ]);
}

/// <summary>What window-open and window-close share: the handle formula and the state text.</summary>
internal static class WindowText
{
    /// <summary>Handle (bar centre) relative to the frame origin at slide q (assets/README.md).</summary>
    public static Vector3 HandleOffset(double q) => new((float)(-0.125 + q), -0.06f, 0.155f);

    public static string Describe(string start, string success) => $"""
        Hand: fingertip centre (m). Object: the handle, a vertical bar (z 0.11–0.20) 6 cm in front of the window
        frame, centre point (m). Object2: the frame origin (footprint centre on the table). Joint: sash slide (m) along
        +x, 0 = closed, 0.2 = fully open; {start}. Goal: the handle at the target slide. Success: {success}.
        """;
}
