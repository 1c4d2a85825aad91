using System.Numerics;

namespace Robotics.Envs.Franka;

/// <summary>The box the end-effector target is kept in (Meta-World's hand_low / hand_high), in the world frame.</summary>
public readonly record struct Workspace(Vector3 Low, Vector3 High)
{
    /// <summary>Above the table, in front of the base; see assets/README.md for the frame.</summary>
    public static Workspace Default { get; } = new(new Vector3(-0.5f, 0.25f, 0.0f), new Vector3(0.5f, 0.85f, 0.5f));

    public Vector3 Clamp(Vector3 p) => Vector3.Clamp(p, Low, High);
    public bool Contains(Vector3 p) => Clamp(p) == p;
}
