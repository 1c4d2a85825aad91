using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Spaces;

namespace Robotics.Core.Wrappers;

/// <summary>Passes everything to the wrapped env; a wrapper overrides the one thing it changes (Gymnasium's style).</summary>
public abstract class EnvWrapper(IEnv inner) : IEnv
{
    public IEnv Inner { get; } = inner;
    public virtual BoxSpace ObservationSpace => Inner.ObservationSpace;
    public virtual BoxSpace ActionSpace => Inner.ActionSpace;
    public virtual ResetResult Reset(int? seed = null) => Inner.Reset(seed);
    public virtual StepResult Step(ReadOnlySpan<float> action) => Inner.Step(action);
    public virtual RgbImage Render() => Inner.Render();
    public virtual void Dispose() => Inner.Dispose();

    /// <summary>The innermost env of type T in the wrapper chain, or null.</summary>
    public static T? Unwrap<T>(IEnv env) where T : class, IEnv
    {
        for (var e = env; ; e = ((EnvWrapper)e).Inner)
        {
            if (e is T found) return found;
            if (e is not EnvWrapper) return null;
        }
    }
}
