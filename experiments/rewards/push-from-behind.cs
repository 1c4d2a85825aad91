// Diagnostic reward for push: push's reward of 2026-11-21 (reach to the puck's centre, weight 5, plus Meta-World's
// long-tailed in_place, weight 4), with the hand paid for the point 3 cm behind the puck on its way to the goal instead
// of the centre. Push's own reward has since taken that point, with a linear progress term (PushTask).
using System;
using System.Numerics;
using Robotics.Core.Shaping;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const float SuccessRadius = 0.05f, BehindDistance = 0.03f;

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double toGoal = Vector3.Distance(state.Object, state.Goal);
        if (toGoal <= SuccessRadius) return 10;
        var behind = Shaping.PointBehind(state.Object, state.Goal, BehindDistance);
        double reach = 1 - Math.Tanh(10 * Vector3.Distance(state.Hand, behind));
        double placeMargin = Math.Max(Vector3.Distance(state.ObjectInitial, state.Goal), 1e-6);
        double inPlace = Tolerance.Of(toGoal, 0, SuccessRadius, placeMargin, Sigmoid.LongTail);
        return 5 * reach + 4 * inPlace;
    }
}
