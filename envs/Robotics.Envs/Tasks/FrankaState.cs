using System.Numerics;

namespace Robotics.Envs.Tasks;

/// <summary>
/// The typed, read-only view of a Franka task's state that rewards (hand-written or generated) are written
/// against. World frame, metres: x right, y forward away from the robot base, z up from the table top.
/// Fields a task does not use are zero; each task's <see cref="IFrankaTask.StateDescription"/> says which it uses.
/// </summary>
public readonly record struct FrankaState(
    /// <summary>End-effector (fingertip centre) position.</summary>
    Vector3 Hand,
    /// <summary>Gripper opening normalised to 0 (closed) … 1 (fully open, 0.08 m).</summary>
    float GripperOpening,
    /// <summary>Left and right finger-pad positions.</summary>
    Vector3 LeftPad,
    Vector3 RightPad,
    /// <summary>The task's main object (puck, handle, button, peg …) position and orientation.</summary>
    Vector3 Object,
    Quaternion ObjectOrientation,
    /// <summary>A second object (e.g. the hole of peg-insert) where the task has one.</summary>
    Vector3 Object2,
    Quaternion Object2Orientation,
    /// <summary>Where the object (or hand, for reach) should end up.</summary>
    Vector3 Goal,
    /// <summary>Hand and object positions at the start of the episode (margins for shaping).</summary>
    Vector3 HandInitial,
    Vector3 ObjectInitial,
    /// <summary>The task's articulated joint (drawer slide, door hinge angle, button depth, window slide); 0 if none.</summary>
    float Joint);
