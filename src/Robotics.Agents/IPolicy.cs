namespace Robotics.Agents;

/// <summary>What evaluation, rendering and deployment need from a trained agent: an action for an observation.</summary>
public interface IPolicy
{
    int ObservationSize { get; }
    int ActionSize { get; }

    /// <summary>Writes the action for <paramref name="observation"/>; deterministic = the policy's mode (evaluation).</summary>
    void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic);

    /// <summary>Called before each episode; policies with memory (scripted phases, frame stacks) start over.</summary>
    void Reset() { }
}
