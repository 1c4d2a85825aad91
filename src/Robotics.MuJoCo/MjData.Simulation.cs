using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjData
{
    /// <summary>Advances the simulation by one timestep (mj_step).</summary>
    /// <exception cref="MuJoCoException">MuJoCo raised an error; the data stays usable (reset it).</exception>
    public void Step() => NativeStatus.Check(NativeMethods.rmj_data_step(Model.Handle, Handle, 1));

    /// <summary>Advances by <paramref name="steps"/> timesteps, looping in C to save a transition per step.</summary>
    public void Step(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        NativeStatus.Check(NativeMethods.rmj_data_step(Model.Handle, Handle, steps));
    }

    /// <summary>First half of a step (mj_step1): positions and velocities; set controls after it.</summary>
    public void Step1() => NativeStatus.Check(NativeMethods.rmj_data_step1(Model.Handle, Handle));

    /// <summary>Second half of a step (mj_step2): forces, accelerations, integration.</summary>
    public void Step2() => NativeStatus.Check(NativeMethods.rmj_data_step2(Model.Handle, Handle));

    /// <summary>Recomputes everything derived from the state without advancing time (mj_forward).</summary>
    public void Forward() => NativeStatus.Check(NativeMethods.rmj_data_forward(Model.Handle, Handle));

    /// <summary>
    /// Recomputes frames and what Jacobians need from qpos alone (mj_kinematics + mj_comPos): no forces, no contacts.
    /// Cheap enough for iterative inverse kinematics on a scratch data.
    /// </summary>
    public void Kinematics() => NativeStatus.Check(NativeMethods.rmj_data_kinematics(Model.Handle, Handle));

    /// <summary>Resets to the model's defaults (mj_resetData): qpos0, zero velocities, controls and time.</summary>
    public void Reset() => NativeStatus.Check(NativeMethods.rmj_data_reset(Model.Handle, Handle));

    /// <summary>Resets to keyframe <paramref name="key"/> (mj_resetDataKeyframe).</summary>
    public void ResetKeyframe(int key)
    {
        if ((uint)key >= (uint)Model.Nkey)
            throw new ArgumentOutOfRangeException(nameof(key), key, $"the model has {Model.Nkey} keyframe(s)");
        NativeStatus.Check(NativeMethods.rmj_data_reset_keyframe(Model.Handle, Handle, key));
    }

    /// <summary>Resets to the keyframe called <paramref name="name"/>.</summary>
    public void ResetKeyframe(string name) => ResetKeyframe(Model.GetId(MjObject.Key, name));

    /// <summary>Copies every field of <paramref name="source"/> (same model) into this data (mj_copyData).</summary>
    public void CopyFrom(MjData source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ReferenceEquals(source.Model, Model))
            throw new ArgumentException("source belongs to a different MjModel", nameof(source));
        NativeStatus.Check(NativeMethods.rmj_data_copy(Model.Handle, Handle, source.Handle));
    }
}
