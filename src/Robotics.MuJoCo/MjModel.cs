using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

/// <summary>
/// A compiled MuJoCo model (mjModel). Owned by a SafeHandle; dispose it when done, or let the GC
/// do it. Every <see cref="MjData"/> made from a model keeps the native model alive.
/// Model arrays are exposed as spans over MuJoCo's memory (writable where changing them is
/// meaningful, e.g. masses or colours for randomization) and are valid until the model is disposed.
/// </summary>
public sealed partial class MjModel : IDisposable
{
    internal ModelHandle Handle { get; }

    private MjModel(ModelHandle handle)
    {
        Handle = handle;
        Name = ReadName();
        Nq = Size("nq"); Nv = Size("nv"); Nu = Size("nu"); Na = Size("na");
        Nbody = Size("nbody"); Njnt = Size("njnt"); Ngeom = Size("ngeom"); Nsite = Size("nsite");
        Ncam = Size("ncam"); Nlight = Size("nlight"); Nmesh = Size("nmesh"); Ntendon = Size("ntendon");
        Neq = Size("neq"); Nsensor = Size("nsensor"); Nsensordata = Size("nsensordata");
        Nkey = Size("nkey"); Nmocap = Size("nmocap"); Nuserdata = Size("nuserdata");
        Nconmax = Size("nconmax"); Njmax = Size("njmax");
        NativeStatus.Check(NativeMethods.rmj_state_size(Handle, out var stateSize));
        StateSize = stateSize;
        _arrays = new ModelArrays(handle);
    }

    /// <summary>Loads an MJCF file; includes, meshes and textures resolve relative to its folder.</summary>
    /// <exception cref="MuJoCoException">The file is missing or MuJoCo rejects it (its message names the line).</exception>
    public static MjModel FromXmlFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new MuJoCoException($"model file not found: '{full}'");
        NativeStatus.Check(NativeMethods.rmj_model_load_xml(full, out var model));
        return new MjModel(new ModelHandle(model));
    }

    /// <summary>
    /// Compiles MJCF text. Includes, meshes and textures resolve relative to <paramref name="assetDirectory"/>
    /// (default: the current directory). The text is passed through MuJoCo's virtual file system; nothing is written.
    /// </summary>
    public static MjModel FromXmlString(string xml, string? assetDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var directory = Path.GetFullPath(string.IsNullOrEmpty(assetDirectory) ? "." : assetDirectory);
        if (!Directory.Exists(directory)) throw new MuJoCoException($"asset directory not found: '{directory}'");
        NativeStatus.Check(NativeMethods.rmj_model_load_xml_string(xml, directory, out var model));
        return new MjModel(new ModelHandle(model));
    }

    /// <summary>Makes a new simulation state for this model (as many as wanted; they are independent).</summary>
    public MjData MakeData() => new(this);

    /// <summary>The model's name (the &lt;mujoco model="..."&gt; attribute).</summary>
    public string Name { get; }

    public int Nq { get; }
    public int Nv { get; }
    public int Nu { get; }
    public int Na { get; }
    public int Nbody { get; }
    public int Njnt { get; }
    public int Ngeom { get; }
    public int Nsite { get; }
    public int Ncam { get; }
    public int Nlight { get; }
    public int Nmesh { get; }
    public int Ntendon { get; }
    public int Neq { get; }
    public int Nsensor { get; }
    public int Nsensordata { get; }
    public int Nkey { get; }
    public int Nmocap { get; }
    public int Nuserdata { get; }
    public int Nconmax { get; }
    public int Njmax { get; }

    /// <summary>Length of <see cref="MjData.GetState()"/>'s vector for this model.</summary>
    public int StateSize { get; }

    /// <summary>Any size from mjxmacro's MJMODEL_INTS ("nq", "nmeshvert", "nnames", ...).</summary>
    public int Size(string name)
    {
        NativeStatus.Check(NativeMethods.rmj_model_int(Handle, name, out var value));
        return value;
    }

    /// <summary>Shape of a model array (MJMODEL_POINTERS) or option ("opt.timestep", "opt.gravity").</summary>
    public MjFieldInfo FieldInfo(string name) => NativeField.OfModel(Handle, name).Info;

    /// <summary>
    /// Any model array by its MuJoCo name ("body_mass", "geom_rgba", ...) or option ("opt.gravity"),
    /// without copying; <typeparamref name="T"/> must match the element kind (double, int, float, byte).
    /// </summary>
    public Span<T> Field<T>(string name) where T : unmanaged
    {
        ThrowIfDisposed();
        return NativeField.OfModel(Handle, name).AsSpan<T>();
    }

    private volatile bool _disposed;

    /// <summary>True after <see cref="Dispose"/>, even while MjData or renderers still hold the native model.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Releases this wrapper's claim on the native model. The model is freed once no MjData or
    /// OffscreenRenderer made from it is left, so those keep working until they are disposed.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        Handle.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private unsafe string ReadName()
    {
        NativeStatus.Check(NativeMethods.rmj_model_name(Handle, out var name));
        return NativeStatus.Utf8(name);
    }

    public override string ToString() => $"MjModel '{Name}' (nq={Nq}, nv={Nv}, nu={Nu}, nbody={Nbody})";
}
