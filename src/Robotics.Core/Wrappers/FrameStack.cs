using Robotics.Core.Envs;
using Robotics.Core.Spaces;

namespace Robotics.Core.Wrappers;

/// <summary>Concatenates the last k observations, oldest first; a reset fills the stack with the first observation.</summary>
public sealed class FrameStack : EnvWrapper
{
    private readonly int _k, _dim;
    private readonly float[] _stack;
    public override BoxSpace ObservationSpace { get; }

    public FrameStack(IEnv inner, int k) : base(inner)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"stack size must be at least 1, got {k}");
        _k = k;
        var s = inner.ObservationSpace;
        _dim = s.Dimension;
        _stack = new float[k * _dim];
        ObservationSpace = new BoxSpace(Repeat(s.Low), Repeat(s.High));
    }

    private float[] Repeat(float[] x) => Enumerable.Range(0, _k).SelectMany(_ => x).ToArray();

    public override ResetResult Reset(int? seed = null)
    {
        var r = Inner.Reset(seed);
        for (int i = 0; i < _k; i++) r.Observation.CopyTo(_stack, i * _dim);
        return r with { Observation = (float[])_stack.Clone() };
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var r = Inner.Step(action);
        Array.Copy(_stack, _dim, _stack, 0, (_k - 1) * _dim);
        r.Observation.CopyTo(_stack, (_k - 1) * _dim);
        return r with { Observation = (float[])_stack.Clone() };
    }
}
