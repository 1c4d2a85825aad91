// The hand-written reward of 'push' (PushTask.ComputeReward) as a reward program: a sharp reach term to the point
// 3 cm behind the puck on its way to the goal, from where any move toward the goal pushes it, and the puck's progress
// to the goal, linear in its distance; unsolved steps are paid under 9 of 10.
using System;
using System.Numerics;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const float SuccessRadius = 0.05f, PushDistance = 0.03f;

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double toGoal = Vector3.Distance(state.Object, state.Goal);
        if (toGoal <= SuccessRadius) return 10;
        var pushingPoint = Shaping.PointBehind(state.Object, state.Goal, PushDistance);
        double reach = 1 - Math.Tanh(10 * Vector3.Distance(state.Hand, pushingPoint));
        double startDistance = Math.Max(Vector3.Distance(state.ObjectInitial, state.Goal), 1e-6);
        double progress = Math.Clamp(1 - toGoal / startDistance, 0, 1);
        return 3 * reach + 6 * progress;
    }
}
