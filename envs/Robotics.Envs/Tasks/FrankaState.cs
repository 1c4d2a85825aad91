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
    float Joint)
{
    /// <summary>Numbers in the flat form <see cref="WriteTo"/> writes (fields in declaration order, quaternions w, x, y, z).</summary>
    public const int Size = 34;

    /// <summary>The state as <see cref="Size"/> floats, for replay buffers that recompute rewards later (HER).</summary>
    public void WriteTo(Span<float> f)
    {
        if (f.Length < Size) throw new ArgumentException($"a Franka state needs {Size} numbers, the span holds {f.Length}");
        Put(f, 0, Hand); f[3] = GripperOpening; Put(f, 4, LeftPad); Put(f, 7, RightPad);
        Put(f, 10, Object); Put(f, 13, ObjectOrientation); Put(f, 17, Object2); Put(f, 20, Object2Orientation);
        Put(f, 24, Goal); Put(f, 27, HandInitial); Put(f, 30, ObjectInitial); f[33] = Joint;
    }

    /// <summary>The state <see cref="WriteTo"/> wrote.</summary>
    public static FrankaState ReadFrom(ReadOnlySpan<float> f)
    {
        if (f.Length < Size) throw new ArgumentException($"a Franka state needs {Size} numbers, the span holds {f.Length}");
        return new FrankaState(Hand: V(f, 0), GripperOpening: f[3], LeftPad: V(f, 4), RightPad: V(f, 7),
            Object: V(f, 10), ObjectOrientation: Q(f, 13), Object2: V(f, 17), Object2Orientation: Q(f, 20),
            Goal: V(f, 24), HandInitial: V(f, 27), ObjectInitial: V(f, 30), Joint: f[33]);
    }

    private static void Put(Span<float> f, int i, Vector3 v) => (f[i], f[i + 1], f[i + 2]) = (v.X, v.Y, v.Z);
    private static void Put(Span<float> f, int i, Quaternion q) => (f[i], f[i + 1], f[i + 2], f[i + 3]) = (q.W, q.X, q.Y, q.Z);
    private static Vector3 V(ReadOnlySpan<float> f, int i) => new(f[i], f[i + 1], f[i + 2]);
    private static Quaternion Q(ReadOnlySpan<float> f, int i) => new(f[i + 1], f[i + 2], f[i + 3], f[i]);
}
