// The hand-written reward of 'reach' (ReachTask.ComputeReward) as a reward program: Meta-World reach-v2.
using System;
using System.Numerics;
using Robotics.Core.Shaping;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const float SuccessRadius = 0.05f;

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double toGoal = Vector3.Distance(state.Hand, state.Goal);
        double margin = Math.Max(Vector3.Distance(state.HandInitial, state.Goal), 1e-6);
        double inPlace = Tolerance.Of(toGoal, 0, SuccessRadius, margin, Sigmoid.LongTail);
        return 10 * inPlace;
    }
}
