// The hand-written reward of 'push' (PushTask.ComputeReward) as a reward program: a sharp reach term that pays most
// in the last centimetres to the puck, and the puck's progress to the goal; unsolved steps are paid at most 9 of 10.
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
        double reach = 1 - Math.Tanh(10 * Vector3.Distance(state.Hand, state.Object));
        double placeMargin = Math.Max(Vector3.Distance(state.ObjectInitial, state.Goal), 1e-6);
        double toGoal = Vector3.Distance(state.Object, state.Goal);
        double inPlace = Tolerance.Of(toGoal, 0, SuccessRadius, placeMargin, Sigmoid.LongTail);
        if (toGoal <= SuccessRadius) return 10;
        return 5 * reach + 4 * inPlace;
    }
}
