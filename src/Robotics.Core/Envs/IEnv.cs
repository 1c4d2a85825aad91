using Robotics.Core.Images;
using Robotics.Core.Spaces;

namespace Robotics.Core.Envs;

/// <summary>
/// The Gymnasium contract: Reset(seed) then Step(action) until terminated (the task ended) or truncated (cut from
/// outside, by the time-limit wrapper only). Same seed ⇒ bit-identical rollout. Info always carries "success".
/// </summary>
public interface IEnv : IDisposable
{
    BoxSpace ObservationSpace { get; }
    BoxSpace ActionSpace { get; }

    /// <summary>Starts an episode. A seed reseeds the env's own RNG; null continues its stream.</summary>
    ResetResult Reset(int? seed = null);

    StepResult Step(ReadOnlySpan<float> action);

    /// <summary>An RGB frame of the current state from the env's default camera.</summary>
    RgbImage Render();
}

public readonly record struct ResetResult(float[] Observation, Info Info);

public readonly record struct StepResult(float[] Observation, double Reward, bool Terminated, bool Truncated, Info Info)
{
    public bool Done => Terminated || Truncated;
}
