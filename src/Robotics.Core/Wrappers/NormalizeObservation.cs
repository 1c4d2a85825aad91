using Robotics.Core.Envs;
using Robotics.Core.Spaces;

namespace Robotics.Core.Wrappers;

/// <summary>Normalises observations by running statistics; Frozen stops updating them (for evaluation).</summary>
public sealed class NormalizeObservation(IEnv inner, double clip = 10.0) : EnvWrapper(inner)
{
    public RunningMeanStd Statistics { get; } = new(inner.ObservationSpace.Dimension);
    public bool Frozen { get; set; }

    public override BoxSpace ObservationSpace { get; } =
        BoxSpace.Uniform(inner.ObservationSpace.Dimension, (float)-clip, (float)clip);

    public override ResetResult Reset(int? seed = null)
    {
        var r = Inner.Reset(seed);
        return r with { Observation = Normalize(r.Observation) };
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var r = Inner.Step(action);
        if (r.Info.FinalObservation is { } final) r.Info.FinalObservation = Normalize(final, update: false);
        return r with { Observation = Normalize(r.Observation) };
    }

    private float[] Normalize(float[] obs, bool update = true)
    {
        if (update && !Frozen) Statistics.Update(obs);
        var output = new float[obs.Length];
        Statistics.Normalize(obs, output, clip);
        return output;
    }
}
