using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjData
{
    /// <summary>
    /// Length of the state vector: time, qpos, qvel, act, qacc_warmstart, ctrl, qfrc_applied,
    /// xfrc_applied, mocap_pos, mocap_quat, userdata, in that order. It holds every input mj_step
    /// reads, so <see cref="SetState"/> followed by the same steps reproduces a run bit for bit.
    /// </summary>
    public int StateSize => Model.StateSize;

    /// <summary>Copies the state into a new array of <see cref="StateSize"/> values.</summary>
    public double[] GetState()
    {
        var state = new double[StateSize];
        GetState(state);
        return state;
    }

    /// <summary>Copies the state into <paramref name="destination"/>, which must hold exactly <see cref="StateSize"/> values.</summary>
    public unsafe void GetState(Span<double> destination)
    {
        CheckStateLength(destination.Length, nameof(destination));
        fixed (double* p = destination)
            NativeStatus.Check(NativeMethods.rmj_state_get(Model.Handle, Handle, p, destination.Length));
    }

    /// <summary>
    /// Restores a state from <see cref="GetState()"/>. Derived quantities (positions of bodies,
    /// contacts, sensors) are stale until <see cref="Forward"/> or the next step.
    /// </summary>
    public unsafe void SetState(ReadOnlySpan<double> state)
    {
        CheckStateLength(state.Length, nameof(state));
        fixed (double* p = state)
            NativeStatus.Check(NativeMethods.rmj_state_set(Model.Handle, Handle, p, state.Length));
    }

    private void CheckStateLength(int length, string parameter)
    {
        if (length != StateSize)
            throw new ArgumentException(
                $"state has {length} values, but model '{Model.Name}' needs exactly {StateSize} (MjData.StateSize)", parameter);
    }
}
