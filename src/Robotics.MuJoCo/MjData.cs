using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

/// <summary>
/// One simulation state (mjData) of a <see cref="MjModel"/>. Owned by a SafeHandle; make as many
/// per model as needed, they share nothing. Not thread-safe: one thread at a time per MjData.
/// The array properties are spans over MuJoCo's own memory, no copies: writes go straight into
/// the simulation, and a span is valid until this MjData is disposed (don't keep one past that).
/// Multi-column arrays are flat and row-major (xpos is nbody x 3: body i at [3i, 3i+3)).
/// </summary>
public sealed partial class MjData : IDisposable
{
    internal DataHandle Handle { get; }
    private readonly DataArrays _arrays;

    /// <summary>Makes a fresh state for <paramref name="model"/> (same as <see cref="MjModel.MakeData"/>).</summary>
    public MjData(MjModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ThrowIfDisposed();
        Model = model;
        NativeStatus.Check(NativeMethods.rmj_data_make(model.Handle, out var data));
        Handle = new DataHandle(data, model.Handle);
        _arrays = new DataArrays(model.Handle, Handle);
    }

    public MjModel Model { get; }

    /// <summary>The mjData fields used often enough to be looked up once, at creation.</summary>
    private sealed class DataArrays(ModelHandle m, DataHandle d)
    {
        public readonly NativeField Time = NativeField.OfData(m, d, "time");
        public readonly NativeField Ncon = NativeField.OfData(m, d, "ncon");
        public readonly NativeField Qpos = NativeField.OfData(m, d, "qpos");
        public readonly NativeField Qvel = NativeField.OfData(m, d, "qvel");
        public readonly NativeField Qacc = NativeField.OfData(m, d, "qacc");
        public readonly NativeField QaccWarmstart = NativeField.OfData(m, d, "qacc_warmstart");
        public readonly NativeField Ctrl = NativeField.OfData(m, d, "ctrl");
        public readonly NativeField Act = NativeField.OfData(m, d, "act");
        public readonly NativeField QfrcApplied = NativeField.OfData(m, d, "qfrc_applied");
        public readonly NativeField QfrcBias = NativeField.OfData(m, d, "qfrc_bias");
        public readonly NativeField XfrcApplied = NativeField.OfData(m, d, "xfrc_applied");
        public readonly NativeField Xpos = NativeField.OfData(m, d, "xpos");
        public readonly NativeField Xquat = NativeField.OfData(m, d, "xquat");
        public readonly NativeField Xmat = NativeField.OfData(m, d, "xmat");
        public readonly NativeField SiteXpos = NativeField.OfData(m, d, "site_xpos");
        public readonly NativeField SiteXmat = NativeField.OfData(m, d, "site_xmat");
        public readonly NativeField GeomXpos = NativeField.OfData(m, d, "geom_xpos");
        public readonly NativeField GeomXmat = NativeField.OfData(m, d, "geom_xmat");
        public readonly NativeField SubtreeCom = NativeField.OfData(m, d, "subtree_com");
        public readonly NativeField Sensordata = NativeField.OfData(m, d, "sensordata");
        public readonly NativeField CfrcExt = NativeField.OfData(m, d, "cfrc_ext");
        public readonly NativeField ActuatorForce = NativeField.OfData(m, d, "actuator_force");
        public readonly NativeField MocapPos = NativeField.OfData(m, d, "mocap_pos");
        public readonly NativeField MocapQuat = NativeField.OfData(m, d, "mocap_quat");
    }

    private unsafe Span<double> View(in NativeField field)
    {
        ThrowIfDisposed();
        return new Span<double>(field.Pointer, field.Length);
    }

    /// <summary>Simulation time in seconds.</summary>
    public unsafe double Time
    {
        get { ThrowIfDisposed(); return *(double*)_arrays.Time.Pointer; }
        set { ThrowIfDisposed(); *(double*)_arrays.Time.Pointer = value; }
    }

    /// <summary>Number of contacts found by the last collision pass (mj_forward / mj_step).</summary>
    public unsafe int ContactCount
    {
        get { ThrowIfDisposed(); return *(int*)_arrays.Ncon.Pointer; }
    }

    /// <summary>Positions (nq).</summary>
    public Span<double> Qpos => View(_arrays.Qpos);
    /// <summary>Velocities (nv).</summary>
    public Span<double> Qvel => View(_arrays.Qvel);
    /// <summary>Accelerations (nv).</summary>
    public Span<double> Qacc => View(_arrays.Qacc);
    /// <summary>Acceleration used to warm-start the constraint solver (nv).</summary>
    public Span<double> QaccWarmstart => View(_arrays.QaccWarmstart);
    /// <summary>Controls (nu).</summary>
    public Span<double> Ctrl => View(_arrays.Ctrl);
    /// <summary>Actuator activations (na).</summary>
    public Span<double> Act => View(_arrays.Act);
    /// <summary>Applied generalized forces (nv).</summary>
    public Span<double> QfrcApplied => View(_arrays.QfrcApplied);
    /// <summary>Gravity, Coriolis and centrifugal forces (qfrc_bias), as of the last forward pass.</summary>
    public Span<double> QfrcBias => View(_arrays.QfrcBias);
    /// <summary>Applied Cartesian force/torque per body (nbody x 6, world frame, at the body's center of mass).</summary>
    public Span<double> XfrcApplied => View(_arrays.XfrcApplied);
    /// <summary>Body positions (nbody x 3).</summary>
    public Span<double> Xpos => View(_arrays.Xpos);
    /// <summary>Body orientations as quaternions w, x, y, z (nbody x 4).</summary>
    public Span<double> Xquat => View(_arrays.Xquat);
    /// <summary>Body orientations as row-major rotation matrices (nbody x 9).</summary>
    public Span<double> Xmat => View(_arrays.Xmat);
    /// <summary>Site positions (nsite x 3).</summary>
    public Span<double> SiteXpos => View(_arrays.SiteXpos);
    /// <summary>Site orientations (nsite x 9).</summary>
    public Span<double> SiteXmat => View(_arrays.SiteXmat);
    /// <summary>Geom positions (ngeom x 3).</summary>
    public Span<double> GeomXpos => View(_arrays.GeomXpos);
    /// <summary>Geom orientations (ngeom x 9).</summary>
    public Span<double> GeomXmat => View(_arrays.GeomXmat);
    /// <summary>Center of mass of each body's subtree (nbody x 3).</summary>
    public Span<double> SubtreeCom => View(_arrays.SubtreeCom);
    /// <summary>Sensor readings (nsensordata).</summary>
    public Span<double> Sensordata => View(_arrays.Sensordata);
    /// <summary>External contact force/torque per body (nbody x 6: torque then force, com-based).</summary>
    public Span<double> CfrcExt => View(_arrays.CfrcExt);
    /// <summary>Actuator forces (nu).</summary>
    public Span<double> ActuatorForce => View(_arrays.ActuatorForce);
    /// <summary>Mocap body positions (nmocap x 3).</summary>
    public Span<double> MocapPos => View(_arrays.MocapPos);
    /// <summary>Mocap body quaternions (nmocap x 4).</summary>
    public Span<double> MocapQuat => View(_arrays.MocapQuat);

    /// <summary>Shape of any mjData field (MJDATA_POINTERS or a MJDATA_SCALAR such as "nefc", 1x1).</summary>
    public MjFieldInfo FieldInfo(string name)
    {
        ThrowIfDisposed();
        return NativeField.OfData(Model.Handle, Handle, name).Info;
    }

    /// <summary>
    /// Any mjData field by its MuJoCo name ("cvel", "qfrc_bias", "efc_force", ...), without copying;
    /// <typeparamref name="T"/> must match the element kind (double, int, float, byte).
    /// Note that efc_* arrays have njmax rows, of which the first nefc are in use.
    /// </summary>
    public Span<T> Field<T>(string name) where T : unmanaged
    {
        ThrowIfDisposed();
        return NativeField.OfData(Model.Handle, Handle, name).AsSpan<T>();
    }

    public bool IsDisposed => Handle.IsClosed;

    public void Dispose() => Handle.Dispose();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
}
