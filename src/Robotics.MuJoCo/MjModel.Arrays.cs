using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjModel
{
    private readonly ModelArrays _arrays;

    /// <summary>The model fields used often enough to be looked up once, at load.</summary>
    private sealed unsafe class ModelArrays(ModelHandle model)
    {
        public readonly NativeField Timestep = NativeField.OfModel(model, "opt.timestep");
        public readonly NativeField Gravity = NativeField.OfModel(model, "opt.gravity");
        public readonly NativeField Qpos0 = NativeField.OfModel(model, "qpos0");
        public readonly NativeField JntType = NativeField.OfModel(model, "jnt_type");
        public readonly NativeField JntQposAdr = NativeField.OfModel(model, "jnt_qposadr");
        public readonly NativeField JntDofAdr = NativeField.OfModel(model, "jnt_dofadr");
        public readonly NativeField JntRange = NativeField.OfModel(model, "jnt_range");
        public readonly NativeField ActuatorCtrlRange = NativeField.OfModel(model, "actuator_ctrlrange");
        public readonly NativeField BodyMass = NativeField.OfModel(model, "body_mass");
        public readonly NativeField GeomSize = NativeField.OfModel(model, "geom_size");
        public readonly NativeField GeomRgba = NativeField.OfModel(model, "geom_rgba");
        public readonly NativeField GeomFriction = NativeField.OfModel(model, "geom_friction");
    }

    private unsafe Span<T> View<T>(in NativeField field) where T : unmanaged
    {
        ThrowIfDisposed();
        return new Span<T>(field.Pointer, field.Length);
    }

    /// <summary>Simulation timestep in seconds (opt.timestep); writable.</summary>
    public unsafe double Timestep
    {
        get { ThrowIfDisposed(); return *(double*)_arrays.Timestep.Pointer; }
        set
        {
            ThrowIfDisposed();
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "timestep must be positive and finite");
            *(double*)_arrays.Timestep.Pointer = value;
        }
    }

    /// <summary>Gravity vector (opt.gravity, 3 values); writable.</summary>
    public Span<double> Gravity => View<double>(_arrays.Gravity);

    /// <summary>Reference configuration (qpos0, nq).</summary>
    public Span<double> Qpos0 => View<double>(_arrays.Qpos0);

    /// <summary>Joint types (jnt_type, njnt): 0 free, 1 ball, 2 slide, 3 hinge.</summary>
    public ReadOnlySpan<int> JntType => View<int>(_arrays.JntType);

    /// <summary>Start of each joint's coordinates in qpos (jnt_qposadr, njnt).</summary>
    public ReadOnlySpan<int> JntQposAdr => View<int>(_arrays.JntQposAdr);

    /// <summary>Start of each joint's degrees of freedom in qvel (jnt_dofadr, njnt).</summary>
    public ReadOnlySpan<int> JntDofAdr => View<int>(_arrays.JntDofAdr);

    /// <summary>Joint limits (jnt_range, njnt x 2: lower, upper).</summary>
    public Span<double> JntRange => View<double>(_arrays.JntRange);

    /// <summary>Control limits (actuator_ctrlrange, nu x 2: lower, upper).</summary>
    public Span<double> ActuatorCtrlRange => View<double>(_arrays.ActuatorCtrlRange);

    /// <summary>Body masses (body_mass, nbody).</summary>
    public Span<double> BodyMass => View<double>(_arrays.BodyMass);

    /// <summary>Geom sizes (geom_size, ngeom x 3).</summary>
    public Span<double> GeomSize => View<double>(_arrays.GeomSize);

    /// <summary>Geom colours (geom_rgba, ngeom x 4, float).</summary>
    public Span<float> GeomRgba => View<float>(_arrays.GeomRgba);

    /// <summary>Geom friction (geom_friction, ngeom x 3: sliding, torsional, rolling).</summary>
    public Span<double> GeomFriction => View<double>(_arrays.GeomFriction);

    /// <summary>Where joint <paramref name="joint"/>'s coordinates start in qpos.</summary>
    public int JointQposAddress(string joint) => JntQposAdr[GetId(MjObject.Joint, joint)];

    /// <summary>Where joint <paramref name="joint"/>'s degrees of freedom start in qvel.</summary>
    public int JointDofAddress(string joint) => JntDofAdr[GetId(MjObject.Joint, joint)];
}
