using System.Numerics;

namespace Robotics.Deploy.Robots;

/// <summary>What a robot's perception can supply besides the arm's own sensors (a bit mask, as on the wire).</summary>
[Flags]
public enum PerceptionItems : byte
{
    None = 0,
    /// <summary>The task's main object (puck, handle, button, peg): position and orientation.</summary>
    Object = 1,
    /// <summary>A second object (the fixture's casing, the peg's hole).</summary>
    Object2 = 2,
    /// <summary>Where the hand or object should end up (from perception or the operator).</summary>
    Goal = 4,
    /// <summary>The articulated joint of a fixture (drawer travel, door angle, button depth, window slide).</summary>
    Articulation = 8,
}

/// <summary>Robot-side status bits carried by every state.</summary>
[Flags]
public enum RobotStatus : ushort
{
    None = 0,
    /// <summary>The bridge's own watchdog is holding the arm: no valid command arrived within its deadline.</summary>
    Holding = 1,
    /// <summary>A Stop was received; the arm holds and motion commands are ignored until the next Reset.</summary>
    Stopped = 2,
    /// <summary>The robot knows whether the task is solved (a simulator does; a real cell usually does not).</summary>
    SuccessKnown = 4,
    /// <summary>With <see cref="SuccessKnown"/>: the task is solved at this state.</summary>
    Success = 8,
}

/// <summary>
/// Object poses and task quantities from a perception source, in the world frame (metres, quaternions (w, x, y, z)
/// as System.Numerics stores them). Fields whose bit is not in <see cref="Available"/> are zero and mean nothing.
/// </summary>
public readonly record struct Perception(
    PerceptionItems Available,
    Vector3 Object, Quaternion ObjectOrientation,
    Vector3 Object2, Quaternion Object2Orientation,
    Vector3 Goal,
    float Articulation)
{
    public static Perception None => default;
}

/// <summary>
/// One timestamped sample of the robot, as a bridge sends it (the names follow Franka's FCI RobotState where there is
/// one: q, dq, O_T_EE, O_T_EE_c, the zero Jacobian). World frame, SI units: metres, radians, seconds.
/// </summary>
public sealed record RobotState
{
    /// <summary>When the sample was taken, on the robot's monotonic clock (µs); not comparable with the controller's clock.</summary>
    public required long TimeMicros { get; init; }
    /// <summary>The episode this state belongs to; a Reset starts a new, larger one.</summary>
    public required uint Episode { get; init; }
    public required RobotStatus Status { get; init; }
    /// <summary>Sequence number of the last command the robot applied (0 = none yet this episode).</summary>
    public required uint LastAppliedCommand { get; init; }
    /// <summary>Measured joint positions q (rad), one per arm joint.</summary>
    public required float[] JointPositions { get; init; }
    /// <summary>Measured joint velocities dq (rad/s).</summary>
    public required float[] JointVelocities { get; init; }
    /// <summary>Measured end-effector (fingertip centre) position.</summary>
    public required Vector3 EndEffectorPosition { get; init; }
    public required Quaternion EndEffectorOrientation { get; init; }
    /// <summary>
    /// Where the robot's Cartesian controller is currently driving the end effector (FCI's O_T_EE_c). End-effector
    /// deltas move this target, not the measured position, so the safety shield checks the workspace against it.
    /// </summary>
    public required Vector3 CommandedEndEffectorPosition { get; init; }
    /// <summary>Distance between the finger pads (m), 0 = closed.</summary>
    public required double GripperWidth { get; init; }
    /// <summary>
    /// The end effector's translational Jacobian at q, 3 rows × joints, row-major (∂p/∂q). The shield predicts the
    /// joint motion of an end-effector command (and the end-effector motion of joint targets) from it.
    /// </summary>
    public required float[] Jacobian { get; init; }
    public Perception Perception { get; init; }

    public int Joints => JointPositions.Length;

    /// <summary>The robot's own verdict on the task, where it has one.</summary>
    public bool? TaskSuccess => (Status & RobotStatus.SuccessKnown) != 0 ? (Status & RobotStatus.Success) != 0 : null;

    /// <summary>
    /// Every number finite and of a physically possible size (|x| ≤ <see cref="Plausible"/>), every array shaped for
    /// <see cref="Joints"/> joints: what a controller may act on. A corrupted but well-framed state fails here.
    /// </summary>
    public bool IsWellFormed(out string problem)
    {
        problem = "";
        int n = JointPositions.Length;
        if (n == 0 || JointVelocities.Length != n || Jacobian.Length != 3 * n) { problem = "arrays do not match the joint count"; return false; }
        if (!AllPlausible(JointPositions) || !AllPlausible(JointVelocities) || !AllPlausible(Jacobian)) { problem = "joint data is not finite or implausibly large"; return false; }
        if (!Plausible3(EndEffectorPosition) || !Plausible3(CommandedEndEffectorPosition) || !(Math.Abs(GripperWidth) <= Plausible)
            || !Unitish(EndEffectorOrientation))
        { problem = "end-effector data is not finite or implausibly large"; return false; }
        var p = Perception;
        if (!Plausible3(p.Object) || !Plausible3(p.Object2) || !Plausible3(p.Goal) || !(Math.Abs(p.Articulation) <= Plausible)
            || !Unitish(p.ObjectOrientation) || !Unitish(p.Object2Orientation))
        { problem = "perception data is not finite or implausibly large"; return false; }
        return true;
    }

    /// <summary>No position (m), angle (rad), velocity (rad/s) or Jacobian entry (m/rad) of a table-top arm comes near this.</summary>
    public const float Plausible = 1000;

    private static bool Plausible3(Vector3 v) => Math.Abs(v.X) <= Plausible && Math.Abs(v.Y) <= Plausible && Math.Abs(v.Z) <= Plausible;

    /// <summary>A quaternion's components are at most 1 in size (0 for an unperceived object); 2 leaves room for rounding.</summary>
    private static bool Unitish(Quaternion q) => Math.Abs(q.X) <= 2 && Math.Abs(q.Y) <= 2 && Math.Abs(q.Z) <= 2 && Math.Abs(q.W) <= 2;

    private static bool AllPlausible(float[] values)
    {
        foreach (var v in values) if (!(Math.Abs(v) <= Plausible)) return false;
        return true;
    }
}
