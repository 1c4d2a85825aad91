// Instruction: Push the red puck across the table to the green goal.
// A reward program for push in the style Text2Reward's generated programs take (Xie et al., appendix): named
// quantities read from the state view, one dense term per stage of the task (reach the puck, hold it, bring it to the
// goal), hand-picked weights, a constant top reward once solved, and a small action penalty. It is not the task's
// hand-written reward (PushTask.ComputeReward): different shapes (tanh, progress ratio), a grasp stage and an effort
// term. Check it with `robo reward check experiments/rewards/push.cs --task push`.
using System;
using System.Numerics;
using Robotics.Core.Shaping;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;

public static class RewardProgram
{
    const double SuccessRadius = 0.05; // the task's success test: puck centre within 5 cm of the goal
    const double AtPuck = 0.03;        // hand close enough that closing the fingers takes hold of the puck

    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double handToPuck = Vector3.Distance(state.Hand, state.Object);
        double puckToGoal = Vector3.Distance(state.Object, state.Goal);
        double startToGoal = Math.Max(Vector3.Distance(state.ObjectInitial, state.Goal), 1e-3);

        // Solved: the largest reward, the same at every solved step, so staying solved is best.
        if (puckToGoal <= SuccessRadius) return 10.0;

        // Stage 1: reach the puck. Dense everywhere: about 0.1 at 30 cm, 0.5 at 11 cm.
        double reach = 1.0 - Math.Tanh(5.0 * handToPuck);

        // Stage 2: hold the puck between the fingers; closing the gripper only counts with the hand at the puck.
        double grasp = handToPuck < AtPuck ? 1.0 - state.GripperOpening : 0.0;

        // Stage 3: bring the puck to the goal: progress along its starting distance, plus a long-tailed bonus close
        // to the goal. Gated by reaching, so knocking the puck from afar does not pay.
        double progress = Shaping.Clamp01(1.0 - puckToGoal / startToGoal);
        double near = Shaping.Near(puckToGoal, SuccessRadius, startToGoal);
        double move = reach * (0.5 * progress + 0.5 * near);

        // Regularisation: prefer small, smooth hand motions.
        double effort = 0;
        for (int i = 0; i < Math.Min(3, action.Length); i++) effort += action[i] * action[i];

        return 2.0 * reach + 1.0 * grasp + 6.0 * move - 0.01 * effort;
    }
}
