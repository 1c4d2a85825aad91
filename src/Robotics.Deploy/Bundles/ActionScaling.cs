using System.Text.Json.Serialization;
using Robotics.Deploy.Robots;
using Robotics.Envs.Franka;

namespace Robotics.Deploy.Bundles;

/// <summary>
/// How a policy's normalised action ([-1, 1] per number) becomes a physical command, as FrankaEnv applied it in
/// training: end-effector control moves the Cartesian target by action × <see cref="EndEffectorMetresPerUnit"/> per
/// step; joint control moves each joint target by action × <see cref="JointRadiansPerUnit"/> from the measured
/// position; the last number drives the gripper, +1 closed and −1 fully open (Meta-World's convention).
/// </summary>
public sealed record ActionScaling
{
    /// <summary>FrankaEnv's joint-delta scale (a private constant there; a test checks this value against the env).</summary>
    public const double FrankaJointRadiansPerUnit = 0.05;

    public required CommandMode Mode { get; init; }
    public double EndEffectorMetresPerUnit { get; init; } = CartesianController.ActionScale;
    public double JointRadiansPerUnit { get; init; } = FrankaJointRadiansPerUnit;
    public double GripperMaxWidth { get; init; } = FrankaPhysics.MaxGripperOpening;
    public int Joints { get; init; } = FrankaPhysics.ArmJoints;

    /// <summary>Numbers of the action that move the arm (3 or the joint count); the one after them is the gripper.</summary>
    [JsonIgnore]
    public int MotionSize => Mode == CommandMode.EndEffectorDelta ? 3 : Joints;
    [JsonIgnore]
    public int ActionSize => MotionSize + 1;

    /// <summary>Gripper width (m) for the gripper number g: +1 closes (0 m), −1 opens fully.</summary>
    public double GripperWidth(float g) => GripperMaxWidth * (1 - Math.Clamp(g, -1f, 1f)) / 2;

    /// <summary>The inverse of <see cref="GripperWidth"/>, for a robot that speaks the env's convention.</summary>
    public float GripperAction(double width) => (float)Math.Clamp(1 - 2 * width / GripperMaxWidth, -1, 1);

    public static ActionScaling ForControl(ControlMode control) => new()
    {
        Mode = control == ControlMode.EndEffector ? CommandMode.EndEffectorDelta : CommandMode.JointTargets,
    };
}
