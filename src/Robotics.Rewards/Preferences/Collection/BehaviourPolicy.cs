using System.Numerics;

namespace Robotics.Rewards.Preferences.Collection;

/// <summary>
/// One way of driving the arm while recording query material: the task's scripted expert, optionally with
/// Gaussian action noise (std on the xyz and gripper numbers, clipped) or aiming at Goal + an offset (a
/// miscalibrated demonstrator, as ExpertRollout's goal offset), or uniformly random actions.
/// </summary>
public sealed record BehaviourPolicy(string Name, double ActionNoise = 0, Vector3 GoalOffset = default, bool Random = false)
{
    /// <summary>
    /// A spread from failing to solving: the expert clean and at two noise levels, a miscalibrated expert that aims
    /// 8 cm off (x, y) and 5 cm high, and uniform random actions. Segments of these compare across the whole range
    /// of the true reward, which is what a reward model must rank.
    /// </summary>
    public static IReadOnlyList<BehaviourPolicy> DefaultMix { get; } =
    [
        new("expert"),
        new("expert_noise_0.3", ActionNoise: 0.3),
        new("expert_noise_1.0", ActionNoise: 1.0),
        new("miscalibrated", ActionNoise: 0.1, GoalOffset: new Vector3(0.08f, -0.08f, 0.05f)),
        new("random", Random: true),
    ];
}
