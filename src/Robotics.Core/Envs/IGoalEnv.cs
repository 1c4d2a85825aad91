namespace Robotics.Core.Envs;

/// <summary>
/// What hindsight experience replay (HER; Andrychowicz et al. 2017) needs from a goal-conditioned env, as
/// Gymnasium-Robotics' GoalEnv gives it (desired_goal, achieved_goal, compute_reward): where the goal sits in the
/// observation, a record of each step from which its reward can be recomputed for any goal, and the goal each step
/// achieved. A record is plain numbers, so a replay buffer can keep one per transition.
/// </summary>
public interface IGoalRewards
{
    /// <summary>The goal's first index in the observation.</summary>
    int GoalOffset { get; }
    int GoalSize { get; }
    /// <summary>Numbers in one step's record.</summary>
    int RecordSize { get; }

    /// <summary>Writes the record of the env's current state (call it after each Step).</summary>
    void Record(Span<float> record);

    /// <summary>The goal the recorded state achieves (where the object, or the hand for reach, is).</summary>
    void AchievedGoal(ReadOnlySpan<float> record, Span<float> goal);

    /// <summary>
    /// The reward the step that ended in the recorded state would have earned under <paramref name="goal"/>. Only the
    /// reward is recomputed: the episode's termination is kept as it was (goal envs here never terminate on success).
    /// </summary>
    double Reward(ReadOnlySpan<float> record, ReadOnlySpan<float> action, ReadOnlySpan<float> goal);

    /// <summary>
    /// Whether <paramref name="goal"/>, achieved later in the recorded step's episode, says anything about the
    /// episode's actions. An object's goal within the success radius of where the object started is achieved whether
    /// or not the hand ever touched it: relabelled with it, every step would earn the solved reward, whatever its action.
    /// </summary>
    bool Informative(ReadOnlySpan<float> record, ReadOnlySpan<float> goal);
}

/// <summary>An env that may offer <see cref="IGoalRewards"/>: null when its task has no goal a step can be said to achieve.</summary>
public interface IGoalEnv : IEnv
{
    IGoalRewards? GoalRewards { get; }
}
