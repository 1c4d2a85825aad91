namespace Robotics.MuJoCo;

/// <summary>
/// A failure reported by MuJoCo or by the native shim (bad model, unknown name, mju_error during
/// simulation, GL context problems). The message is MuJoCo's own where it has one.
/// </summary>
public sealed class MuJoCoException : Exception
{
    public MuJoCoException(string message) : base(message) { }

    public MuJoCoException(string message, Exception inner) : base(message, inner) { }
}
