using Robotics.Core.Envs;
using Robotics.Core.Spaces;

namespace Robotics.Core.Wrappers;

/// <summary>Exposes a [min, max] action box (default [-1, 1]) and maps it linearly onto the inner env's bounds.</summary>
public sealed class RescaleAction : EnvWrapper
{
    private readonly float[] _scaled;
    private readonly BoxSpace _space;
    public override BoxSpace ActionSpace => _space;

    public RescaleAction(IEnv inner, float min = -1f, float max = 1f) : base(inner)
    {
        var b = inner.ActionSpace;
        for (int i = 0; i < b.Dimension; i++)
            if (!float.IsFinite(b.Low[i]) || !float.IsFinite(b.High[i]))
                throw new ArgumentException($"action dimension {i} is unbounded; only bounded boxes can be rescaled");
        _space = BoxSpace.Uniform(b.Dimension, min, max);
        _scaled = new float[b.Dimension];
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        _space.Validate(action, "action");
        var b = Inner.ActionSpace;
        for (int i = 0; i < action.Length; i++)
        {
            float t = (action[i] - _space.Low[i]) / (_space.High[i] - _space.Low[i]);
            _scaled[i] = b.Low[i] + t * (b.High[i] - b.Low[i]);
        }
        return Inner.Step(_scaled);
    }
}
