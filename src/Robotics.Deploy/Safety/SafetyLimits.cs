using System.Numerics;

namespace Robotics.Deploy.Safety;

/// <summary>
/// The safety shield's limits. Defaults are conservative for a Franka (datasheet: 1.7 m/s end-effector, 2.175–2.61
/// rad/s joints) running learned policies: they leave a policy trained with Meta-World's 1 cm steps unhindered at
/// 20 Hz (≤ 0.35 m/s) while cutting off anything faster. Joint limits come from the robot, less a margin.
/// </summary>
public sealed record SafetyLimits
{
    /// <summary>Largest change of a motion action number between steps (policy units; the gripper is exempt, it is open/close).</summary>
    public double MaxActionChange { get; init; } = 1.0;
    /// <summary>End-effector speed limit (m/s) on the commanded motion.</summary>
    public double MaxEndEffectorSpeed { get; init; } = 0.5;
    /// <summary>
    /// End-effector acceleration limit (m/s²) between consecutive commands, under Franka's 13 m/s²: a full-speed
    /// Meta-World step from rest at 20 Hz (0.35 m/s) passes, a reversal at full speed does not.
    /// </summary>
    public double MaxEndEffectorAcceleration { get; init; } = 10.0;
    /// <summary>Joint targets stay this far (rad) inside the robot's joint range.</summary>
    public double JointPositionMargin { get; init; } = 0.05;
    /// <summary>Joint speeds stay under this fraction of the robot's declared limits.</summary>
    public double JointVelocityFraction { get; init; } = 0.8;
    /// <summary>A box (world frame) tighter than the robot's own; null = the robot's declared workspace.</summary>
    public Vector3? WorkspaceLow { get; init; }
    public Vector3? WorkspaceHigh { get; init; }

    public void Validate()
    {
        if (!(MaxActionChange > 0)) throw new ArgumentException($"the action change limit must be positive, got {MaxActionChange}");
        if (!(MaxEndEffectorSpeed > 0)) throw new ArgumentException($"the end-effector speed limit must be positive, got {MaxEndEffectorSpeed}");
        if (!(MaxEndEffectorAcceleration > 0)) throw new ArgumentException($"the end-effector acceleration limit must be positive, got {MaxEndEffectorAcceleration}");
        if (!(JointPositionMargin >= 0)) throw new ArgumentException($"the joint margin must be at least 0, got {JointPositionMargin}");
        if (!(JointVelocityFraction is > 0 and <= 1)) throw new ArgumentException($"the joint velocity fraction must be in (0, 1], got {JointVelocityFraction}");
        if (WorkspaceLow.HasValue != WorkspaceHigh.HasValue) throw new ArgumentException("give both corners of the workspace box or neither");
        if (WorkspaceLow is { } lo && WorkspaceHigh is { } hi && (lo.X >= hi.X || lo.Y >= hi.Y || lo.Z >= hi.Z))
            throw new ArgumentException($"the workspace box's low corner {lo} must be below its high corner {hi} on every axis");
    }
}
