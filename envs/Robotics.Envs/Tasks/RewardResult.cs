namespace Robotics.Envs.Tasks;

/// <summary>A dense reward (Meta-World v2 scale, 0–10) with its named parts, and whether the task is solved.</summary>
public readonly record struct RewardResult(double Reward, bool Success, (string Name, double Value)[] Components);
