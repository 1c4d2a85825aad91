using Robotics.Core.Envs;
using Robotics.Envs.Tasks;

namespace Robotics.Envs.Franka;

/// <summary>
/// HER's view of a Franka env whose task has a goal point: a step's record is its whole <see cref="FrankaState"/>
/// (the shaped rewards need the pads and the start positions, not only what the observation holds), and its reward
/// under another goal is the task's own reward of that state with the goal swapped (dense or sparse, as the env's).
/// </summary>
internal sealed class FrankaGoalRewards(FrankaEnv env, IGoalTask task) : IGoalRewards
{
    public int GoalOffset => FrankaEnv.GoalOffset;
    public int GoalSize => 3;
    public int RecordSize => FrankaState.Size;

    public void Record(Span<float> record) => env.State.WriteTo(record);

    public void AchievedGoal(ReadOnlySpan<float> record, Span<float> goal)
    {
        var g = task.AchievedGoal(FrankaState.ReadFrom(record));
        (goal[0], goal[1], goal[2]) = (g.X, g.Y, g.Z);
    }

    public bool Informative(ReadOnlySpan<float> record, ReadOnlySpan<float> goal) =>
        !task.AchievedUntouched(FrankaState.ReadFrom(record), new(goal[0], goal[1], goal[2]));

    // Called for every relabelled row of every minibatch; the task's reward also names its terms, a small array each call.
    public double Reward(ReadOnlySpan<float> record, ReadOnlySpan<float> action, ReadOnlySpan<float> goal)
    {
        var state = FrankaState.ReadFrom(record) with { Goal = new(goal[0], goal[1], goal[2]) };
        return env.RewardOf(env.Task.ComputeReward(state, action));
    }
}
