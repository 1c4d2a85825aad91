// The hand-written reward of 'push' (PushTask.ComputeReward) as a reward program: Meta-World push-v2's terms (closing
// the fingers pays only at the puck), with unsolved steps paid at most 8 of the solved 10.
using System;
using System.Numerics;
using Robotics.Core.Shaping;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const float SuccessRadius = 0.05f;
    const float GraspRadius = 0.02f;

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double reachMargin = Math.Max(Vector3.Distance(state.HandInitial, state.ObjectInitial), 1e-6);
        double reach = Tolerance.Of(Vector3.Distance(state.Hand, state.Object), 0, GraspRadius, reachMargin, Sigmoid.LongTail);
        double placeMargin = Math.Max(Vector3.Distance(state.ObjectInitial, state.Goal), 1e-6);
        double toGoal = Vector3.Distance(state.Object, state.Goal);
        double inPlace = Tolerance.Of(toGoal, 0, SuccessRadius, placeMargin, Sigmoid.LongTail);
        // Closing the fingers pays only with the fingertips at the puck (Meta-World's caging gate).
        double grasp = reach > 0.97 ? Tolerance.HamacherProduct(reach, Math.Clamp(1 - state.GripperOpening, 0, 1)) : 0;
        if (toGoal <= SuccessRadius) return 10;
        return reach + grasp + 6 * Tolerance.HamacherProduct(reach, inPlace);
    }
}
