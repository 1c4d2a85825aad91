namespace Robotics.Rewards.Vision.VlmRm;

/// <summary>
/// The VLM-RM reward's settings (Rocamonde et al. 2023, "Vision-Language Models are Zero-Shot Reward Models for
/// Reinforcement Learning"). Defaults are the paper's humanoid setting except α, which it sweeps.
/// </summary>
public sealed record VlmRmConfig
{
    /// <summary>What success looks like ("a robot arm pushing a red puck onto a green target"); several are averaged.</summary>
    public required IReadOnlyList<string> GoalPrompts { get; init; }
    /// <summary>The scene without the goal achieved ("a robot arm"); the goal − baseline direction is what α keeps.</summary>
    public required IReadOnlyList<string> BaselinePrompts { get; init; }
    /// <summary>Baseline regularisation: 0 = plain cosine similarity to the goal, 1 = only the goal−baseline direction counts (the paper sweeps 0 to 1).</summary>
    public double Alpha { get; init; } = 0.5;
    /// <summary>Frames per CLIP forward pass.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>The camera frames are rendered from (FrankaEnv's named cameras).</summary>
    public string? Camera { get; init; }

    public void Validate()
    {
        if (GoalPrompts is not { Count: > 0 } || GoalPrompts.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("vlm-rm: at least one non-empty goal prompt is needed");
        if (BaselinePrompts is not { Count: > 0 } || BaselinePrompts.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("vlm-rm: at least one non-empty baseline prompt is needed (e.g. \"a robot arm\")");
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentException($"vlm-rm: alpha must be in [0, 1], got {Alpha}");
        if (BatchSize <= 0) throw new ArgumentException($"vlm-rm: batch size must be positive, got {BatchSize}");
    }
}
