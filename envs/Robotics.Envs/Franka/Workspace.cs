using System.Numerics;

namespace Robotics.Envs.Franka;

/// <summary>The box the end-effector target is kept in (Meta-World's hand_low / hand_high), in the world frame.</summary>
public readonly record struct Workspace(Vector3 Low, Vector3 High)
{
    /// <summary>
    /// In front of the base, the TCP at least 2 cm above the table (assets/README.md, "Workspace"): there the finger
    /// tips clear it by 7 mm. A floor at the table itself let a target sit 1.3 cm inside it; the servo then pressed the
    /// tips into the table, and friction held the hand nearly still (about 1 mm a step at a full sideways action), as it
    /// held SAC's push policies. x and y stay wider than the README's IK-checked box, for the fixtures beyond it.
    /// </summary>
    public static Workspace Default { get; } = new(new Vector3(-0.5f, 0.25f, 0.02f), new Vector3(0.5f, 0.85f, 0.5f));

    public Vector3 Clamp(Vector3 p) => Vector3.Clamp(p, Low, High);
    public bool Contains(Vector3 p) => Clamp(p) == p;
}
