using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Teachers;

/// <summary>A segment as a ground-truth reward source scores it.</summary>
public static class GroundTruth
{
    /// <summary>The reward of each step of the segment (from its state views: segments cut from live trajectories).</summary>
    public static double[] StepRewards(IRewardSource truth, Segment segment)
    {
        var states = segment.RequireStates();
        var batch = new RewardTransition[segment.Length];
        for (int t = 0; t < batch.Length; t++) batch[t] = new RewardTransition(states[t], segment.Action(t).ToArray());
        return truth.LabelBatch(batch).Select(l => l.Reward).ToArray();
    }

    /// <summary>The summed reward, each step weighted γ^(T−1−t) (γ = 1: the plain return; γ &lt; 1: B-Pref's myopic view).</summary>
    public static double Return(ReadOnlySpan<double> rewards, double gamma = 1)
    {
        double sum = 0, weight = 1;
        for (int t = rewards.Length - 1; t >= 0; t--)
        {
            sum += weight * rewards[t];
            weight *= gamma;
        }
        return sum;
    }

    public static double Return(IRewardSource truth, Segment segment) => Return(StepRewards(truth, segment));
}
