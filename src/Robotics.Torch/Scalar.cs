using System.Runtime.InteropServices;

namespace Robotics.Torch;

/// <summary>
/// A number passed to an op (<c>x + 1</c>, <c>torch.full(shape, 0.5f)</c>). Integers stay integers,
/// so <c>long_tensor * 2</c> keeps int64 as in PyTorch, while <c>long_tensor * 2.0</c> promotes.
/// Laid out exactly as the shim's <c>ScalarArg</c> and passed by value: no native object is made.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Scalar
{
    private readonly double d;
    private readonly long i;
    private readonly int kind; // 0 floating, 1 integral, 2 bool (shim.h)

    private Scalar(double d, long i, int kind) { this.d = d; this.i = i; this.kind = kind; }

    public bool IsFloatingPoint => kind == 0;
    public bool IsIntegral => kind == 1;
    public bool IsBoolean => kind == 2;

    public double ToDouble() => kind == 0 ? d : i;
    public long ToInt64() => kind == 0 ? (long)d : i;

    public static implicit operator Scalar(double v) => new(v, 0, 0);
    public static implicit operator Scalar(float v) => new(v, 0, 0);
    public static implicit operator Scalar(long v) => new(0, v, 1);
    public static implicit operator Scalar(int v) => new(0, v, 1);
    public static implicit operator Scalar(bool v) => new(0, v ? 1 : 0, 2);

    public override string ToString() => kind switch { 0 => d.ToString("R"), 1 => i.ToString(), _ => (i != 0).ToString() };
}
