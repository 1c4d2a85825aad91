// Instruction: Move the gripper fingertips to the small green ball.
// A reward program for reach in the style Text2Reward's generated programs take (Xie et al., appendix): the
// distance to the target as the main term, a denser term near it, a bonus once the task's success test would hold,
// and a small action penalty. It is not the task's hand-written reward (ReachTask.ComputeReward, a long-tailed
// tolerance scaled by 10): different shape, scale and terms. Check it with
// `robo reward check experiments/rewards/reach.cs --task reach`.
using System;
using System.Numerics;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const double SuccessRadius = 0.05; // the task's success test: fingertips within 5 cm of the target

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double handToGoal = Shaping.Distance(state.Hand, state.Goal);

        // Main term: negative distance, so every step closer pays.
        double approach = -handToGoal;

        // Precision: steep within the last ~20 cm, where the distance term alone is flat.
        double precision = 1.0 - Math.Tanh(10.0 * handToGoal);

        // Success bonus: constant while the fingertips stay at the target.
        double bonus = handToGoal <= SuccessRadius ? 1.0 : 0.0;

        // Regularisation: prefer small hand motions.
        double effort = 0;
        for (int i = 0; i < Math.Min(3, action.Length); i++) effort += action[i] * action[i];

        return 2.0 * approach + 1.0 * precision + 1.0 * bonus - 0.01 * effort;
    }
}
