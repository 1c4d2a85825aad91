using System.Numerics;

namespace Robotics.Deploy.Robots;

/// <summary>How a controller moves the arm. A robot declares which it accepts; an episode uses one.</summary>
public enum CommandMode : byte
{
    /// <summary>Move the Cartesian target by a displacement (m) each command; the robot's controller does the IK.</summary>
    EndEffectorDelta = 1,
    /// <summary>Absolute joint position targets (rad) for the robot's joint controller.</summary>
    JointTargets = 2,
}

[Flags]
public enum CommandModes : byte
{
    None = 0,
    EndEffectorDelta = 1,
    JointTargets = 2,
}

public enum CommandKind : byte
{
    /// <summary>Keep the current target (end-effector mode) or the current joint positions; the gripper keeps its last command.</summary>
    Hold = 0,
    EndEffectorDelta = 1,
    JointTargets = 2,
    /// <summary>Hold and latch: motion commands are ignored until the next Reset.</summary>
    Stop = 3,
}

/// <summary>
/// One command to the robot. <see cref="BasedOnState"/> names the state (by its sequence number) the command was
/// computed from: the robot measures a command's age from when it sent that state, on its own clock, and discards
/// commands older than its limit. The controller stamps the frame with its clock when it decides.
/// </summary>
public sealed record RobotCommand
{
    public required CommandKind Kind { get; init; }
    public required uint Episode { get; init; }
    public required uint BasedOnState { get; init; }
    /// <summary>For <see cref="CommandKind.EndEffectorDelta"/>: displacement of the Cartesian target (m), world frame.</summary>
    public Vector3 EndEffectorDelta { get; init; }
    /// <summary>For <see cref="CommandKind.JointTargets"/>: joint position targets (rad); empty otherwise.</summary>
    public float[] JointTargets { get; init; } = [];
    /// <summary>Commanded distance between the finger pads (m); ignored by Hold and Stop.</summary>
    public double GripperWidth { get; init; }

    public bool IsMotion => Kind is CommandKind.EndEffectorDelta or CommandKind.JointTargets;

    /// <summary>snake_case names as logs and status lines print them.</summary>
    public static string Name(CommandKind kind) => kind switch
    {
        CommandKind.Hold => "hold",
        CommandKind.Stop => "stop",
        CommandKind.EndEffectorDelta => "ee_delta",
        CommandKind.JointTargets => "joint_targets",
        _ => kind.ToString(),
    };

    public static RobotCommand Hold(uint episode, uint basedOnState) => new() { Kind = CommandKind.Hold, Episode = episode, BasedOnState = basedOnState };
    public static RobotCommand Stop(uint episode, uint basedOnState) => new() { Kind = CommandKind.Stop, Episode = episode, BasedOnState = basedOnState };
}
