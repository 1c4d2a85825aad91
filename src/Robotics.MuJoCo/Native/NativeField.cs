namespace Robotics.MuJoCo.Native;

/// <summary>
/// A field found by name in the shim: where it lives and its shape. MuJoCo allocates every model
/// and data array once (mj_loadXML / mj_makeData), so the pointer stays valid for the owner's
/// lifetime and the wrappers cache it instead of asking again.
/// </summary>
internal readonly unsafe struct NativeField(string name, void* pointer, int rows, int cols, MjFieldKind kind)
{
    public readonly string Name = name;
    public readonly void* Pointer = pointer;
    public readonly int Rows = rows;
    public readonly int Cols = cols;
    public readonly MjFieldKind Kind = kind;

    public int Length => Rows * Cols;

    public MjFieldInfo Info => new(Name, Rows, Cols, Kind);

    public static NativeField OfModel(ModelHandle model, string name)
    {
        NativeStatus.Check(NativeMethods.rmj_model_field(model, name, out var p, out var rows, out var cols, out var kind, out _));
        return new NativeField(name, p, rows, cols, (MjFieldKind)kind);
    }

    public static NativeField OfData(ModelHandle model, DataHandle data, string name)
    {
        NativeStatus.Check(NativeMethods.rmj_data_field(model, data, name, out var p, out var rows, out var cols, out var kind, out _));
        return new NativeField(name, p, rows, cols, (MjFieldKind)kind);
    }

    /// <summary>The field as a span of <typeparamref name="T"/>, checked against its element kind.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        var expected = Kind switch
        {
            MjFieldKind.Double => typeof(double),
            MjFieldKind.Int => typeof(int),
            MjFieldKind.Float => typeof(float),
            MjFieldKind.Byte or MjFieldKind.Char => typeof(byte),
            _ => null,
        };
        if (expected is null)
            throw new ArgumentException($"field '{Name}' holds MuJoCo structs, which are not exposed as spans");
        if (typeof(T) != expected)
            throw new ArgumentException($"field '{Name}' holds {expected.Name} elements, not {typeof(T).Name}");
        return new Span<T>(Pointer, Length);
    }
}
