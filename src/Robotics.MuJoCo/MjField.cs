namespace Robotics.MuJoCo;

/// <summary>The element type of a model or data field, as mjxmacro.h declares it.</summary>
public enum MjFieldKind
{
    /// <summary>mjtNum (double).</summary>
    Double = 0,
    Int = 1,
    Float = 2,
    /// <summary>mjtByte (unsigned char).</summary>
    Byte = 3,
    Char = 4,
    /// <summary>A MuJoCo struct such as mjContact; not exposed as a span (see <see cref="MjData.GetContact"/>).</summary>
    Struct = 5,
}

/// <summary>The shape of a field: <paramref name="Rows"/> x <paramref name="Cols"/> elements, row-major.</summary>
public readonly record struct MjFieldInfo(string Name, int Rows, int Cols, MjFieldKind Kind)
{
    public int Length => Rows * Cols;
}
