using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Robotics.MuJoCo;

/// <summary>
/// One contact, copied out of mjData with its force. The layout is the shim's own rmj_contact
/// (native/mujoco/include/robotics_mujoco.h), not MuJoCo's mjContact, so it does not change with
/// MuJoCo releases; field order and types here must match that struct.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct MjContact
{
    /// <summary>Signed distance between the geoms; negative means penetration.</summary>
    public double Distance;

    /// <summary>Contact point in world coordinates.</summary>
    public Double3 Position;

    /// <summary>Contact frame, row-major 3 x 3 in world coordinates; row 0 is the normal, pointing from geom 1 to geom 2.</summary>
    public Double9 Frame;

    /// <summary>Contact force and torque in the contact frame (mj_contactForce): normal, two tangential, then torsional and rolling.</summary>
    public Double6 Force;

    public int Geom1;
    public int Geom2;

    /// <summary>The contact normal (row 0 of <see cref="Frame"/>).</summary>
    public readonly (double X, double Y, double Z) Normal => (Frame[0], Frame[1], Frame[2]);

    /// <summary>The force along the normal (positive pushes the geoms apart).</summary>
    public readonly double NormalForce => Force[0];

    public override readonly string ToString() =>
        $"contact geom {Geom1}-{Geom2} dist {Distance:G4} at ({Position[0]:G4}, {Position[1]:G4}, {Position[2]:G4}) normal force {NormalForce:G4}";
}

/// <summary>Three doubles stored inline (no allocation); index it like an array.</summary>
[InlineArray(3)]
public struct Double3
{
    private double _element;
}

/// <summary>Six doubles stored inline.</summary>
[InlineArray(6)]
public struct Double6
{
    private double _element;
}

/// <summary>Nine doubles stored inline (a row-major 3 x 3 matrix).</summary>
[InlineArray(9)]
public struct Double9
{
    private double _element;
}
