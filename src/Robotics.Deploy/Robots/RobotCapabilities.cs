using System.Numerics;

namespace Robotics.Deploy.Robots;

/// <summary>
/// What a robot declares when a controller connects (the Welcome message): its joints and their limits, the box its
/// end effector may move in, the command modes it accepts, what it perceives, and its timing. Policy bundles are
/// checked against it before anything moves.
/// </summary>
public sealed record RobotCapabilities
{
    public required string RobotName { get; init; }
    /// <summary>The task the cell is set up for ("" when it does not say, as a general-purpose cell would not).</summary>
    public string Task { get; init; } = "";
    public required float[] JointLower { get; init; }
    public required float[] JointUpper { get; init; }
    /// <summary>Maximum joint speeds (rad/s), the robot's hardware limits.</summary>
    public required float[] JointVelocityLimits { get; init; }
    public required Vector3 WorkspaceLow { get; init; }
    public required Vector3 WorkspaceHigh { get; init; }
    public required CommandModes Modes { get; init; }
    public required PerceptionItems Perception { get; init; }
    /// <summary>How often the robot sends its state.</summary>
    public required double StateRateHz { get; init; }
    /// <summary>The fastest command rate the robot applies; faster commands supersede each other.</summary>
    public required double MaxCommandRateHz { get; init; }
    /// <summary>The largest end-effector displacement per command and axis (m) the robot's controller executes.</summary>
    public required double MaxEndEffectorStep { get; init; }
    /// <summary>Fully open gripper width (m).</summary>
    public required double GripperMaxWidth { get; init; }
    /// <summary>Commands computed from a state older than this (robot clock) are discarded by the robot.</summary>
    public required int CommandMaxAgeMs { get; init; }
    /// <summary>The robot holds when no valid command or heartbeat arrives within this.</summary>
    public required int WatchdogMs { get; init; }

    public int Joints => JointLower.Length;

    public bool Accepts(CommandMode mode) => (Modes & (CommandModes)(byte)mode) != 0;
}
