using System.Runtime.InteropServices;

namespace Robotics.Torch;

/// <summary>
/// One entry of a Python-style index: <c>x[0, 1..3, TensorIndex.None, TensorIndex.Ellipsis, mask]</c>.
/// Integers select (negative counts from the end), C# ranges slice (<c>..</c>, <c>1..</c>, <c>..^1</c>),
/// tensors gather (int64) or mask (bool). <see cref="Slice"/> adds a step.
/// </summary>
public readonly struct TensorIndex
{
    private const long Omitted = long.MinValue;

    internal readonly Kind kind;
    internal readonly long start, stop, step;
    internal readonly Tensor? tensor;

    internal enum Kind : long { Integer = 0, Slice = 1, None = 2, Ellipsis = 3, Tensor = 4, Bool = 5 }

    private TensorIndex(Kind kind, long start = Omitted, long stop = Omitted, long step = Omitted, Tensor? tensor = null)
    {
        this.kind = kind;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.tensor = tensor;
    }

    /// <summary>Python's <c>None</c>: inserts a dimension of size 1.</summary>
    public static readonly TensorIndex None = new(Kind.None);

    /// <summary>Python's <c>...</c>: as many full slices as needed.</summary>
    public static readonly TensorIndex Ellipsis = new(Kind.Ellipsis);

    /// <summary>Python's <c>:</c>.</summary>
    public static readonly TensorIndex Colon = new(Kind.Slice);

    public static TensorIndex Single(long index) => new(Kind.Integer, index);

    /// <summary>Python's <c>start:stop:step</c>; null parts are omitted.</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null) =>
        new(Kind.Slice, start ?? Omitted, stop ?? Omitted, step ?? Omitted);

    public static TensorIndex Bool(bool value) => new(Kind.Bool, value ? 1 : 0);

    public static TensorIndex Tensor(Tensor index) => new(Kind.Tensor, tensor: index);

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(int index) => Single(index);
    public static implicit operator TensorIndex(bool value) => Bool(value);
    public static implicit operator TensorIndex(Tensor index) => Tensor(index);

    /// <summary><c>^1</c> is the last element, as Python's -1.</summary>
    public static implicit operator TensorIndex(Index index) => Single(index.IsFromEnd ? -index.Value : index.Value);

    /// <summary><c>a..b</c> is Python's <c>a:b</c>; <c>^k</c> ends count from the back; <c>..^0</c> is "to the end".</summary>
    public static implicit operator TensorIndex(Range range)
    {
        long? s = range.Start.IsFromEnd ? (range.Start.Value == 0 ? long.MaxValue : -range.Start.Value) : range.Start.Value;
        long? e = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(s == 0 ? null : s, e);
    }

    /// <summary>What the shim reads (ops_shape.cpp: IndexArg).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Native
    {
        public long kind, start, stop, step;
        public IntPtr tensor;
    }
}
