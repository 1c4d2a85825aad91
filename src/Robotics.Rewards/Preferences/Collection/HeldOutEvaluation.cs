using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Collection;

/// <summary>How well a reward model ranks pairs it never trained on, judged by the true reward.</summary>
public sealed record HeldOutResult(int Pairs, int Decided, double Accuracy);

public static class HeldOutEvaluation
{
    /// <summary>
    /// The fraction of held-out pairs whose better segment by the ground truth (unweighted true return) is the one
    /// the ensemble prefers (mean P(B ≻ A) over members above or below ½). Pairs with exactly equal true returns
    /// have no better segment and are left out.
    /// </summary>
    public static HeldOutResult Accuracy(RewardEnsemble model, IRewardSource truth, IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        var preferSecond = model.PreferSecond(pairs);
        int decided = 0, right = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            double returnA = GroundTruth.Return(truth, pairs[i].A), returnB = GroundTruth.Return(truth, pairs[i].B);
            if (returnA == returnB) continue;
            decided++;
            if (returnB > returnA == preferSecond[i] > 0.5) right++;
        }
        return new HeldOutResult(pairs.Count, decided, decided == 0 ? double.NaN : right / (double)decided);
    }
}
