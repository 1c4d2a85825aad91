using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Models;

/// <summary>What <see cref="RewardInspection.Inspect"/> measured, in the learned reward's own (normalised) units.</summary>
/// <param name="StateGain">Mean over episodes of the learned reward over the last steps minus over the first steps,
/// along expert episodes with the expert's actions: how much the reward pays for doing the task.</param>
/// <param name="ActionSpread">Mean over every step of |r(s, a) − r(s, a_expert)| for uniform random actions a:
/// how much the reward pays for how the arm moves rather than where things are.</param>
/// <param name="ActionSpreadAtEnd">The same over the last steps only, where the task is done and the expert holds still.</param>
/// <param name="EndGain">The learned reward of the last steps minus that of the steps just before the true reward first
/// reaches its best (the final approach).</param>
/// <param name="TrueCorrelation">Pearson correlation of the learned and the true step rewards along the expert episodes.</param>
public sealed record RewardInspectionResult(double StateGain, double ActionSpread, double ActionSpreadAtEnd, double EndGain, double TrueCorrelation, int Episodes, int Steps);

/// <summary>
/// Looks inside a learned reward along expert episodes: does it pay for where things are (the task) or for how the
/// arm moves? A reward from segment preferences can learn that good segments move little; if what an action costs
/// exceeds what the last centimetres pay (ActionSpreadAtEnd against EndGain), SAC stops short of the goal.
/// </summary>
public static class RewardInspection
{
    public static RewardInspectionResult Inspect(IRewardSource learned, IRewardSource truth, IReadOnlyList<Trajectory> expertEpisodes,
                                                 int window, int randomActions, Rng rng)
    {
        if (expertEpisodes.Count == 0) throw new ArgumentException("no episodes to inspect");
        if (window < 1 || expertEpisodes.Any(e => e.Length < 2 * window))
            throw new ArgumentException($"each episode needs at least 2 windows of {window} steps");
        if (randomActions < 1) throw new ArgumentOutOfRangeException(nameof(randomActions), "at least one random action per step");
        double gain = 0, endGain = 0, spread = 0, spreadAtEnd = 0;
        var learnedAll = new List<double>();
        var trueAll = new List<double>();
        int steps = 0, endSteps = 0;
        foreach (var episode in expertEpisodes)
        {
            var own = Rewards(learned, episode, t => episode.Action(t).ToArray());
            var real = Rewards(truth, episode, t => episode.Action(t).ToArray());
            learnedAll.AddRange(own);
            trueAll.AddRange(real);
            int n = episode.Length;
            double last = own.Skip(n - window).Average();
            gain += last - own.Take(window).Average();
            // The final approach: the window just before the true reward first reaches its best, against the end.
            int best = Array.IndexOf(real, real.Max());
            int approach = Math.Clamp(best - window, 0, n - 2 * window);
            endGain += last - own.Skip(approach).Take(window).Average();
            for (int k = 0; k < randomActions; k++)
            {
                var random = Rewards(learned, episode, _ => RandomAction(episode.ActionSize, rng));
                for (int t = 0; t < n; t++)
                {
                    double d = Math.Abs(random[t] - own[t]);
                    spread += d;
                    if (t >= n - window) spreadAtEnd += d;
                }
            }
            steps += n * randomActions;
            endSteps += window * randomActions;
        }
        int episodes = expertEpisodes.Count;
        return new RewardInspectionResult(gain / episodes, spread / steps, spreadAtEnd / endSteps, endGain / episodes,
                                          Pearson(learnedAll, trueAll), episodes, learnedAll.Count);
    }

    private static double[] Rewards(IRewardSource source, Trajectory episode, Func<int, float[]> action)
    {
        var batch = new RewardTransition[episode.Length];
        for (int t = 0; t < batch.Length; t++) batch[t] = new RewardTransition(episode.States[t], action(t));
        return source.LabelBatch(batch).Select(l => l.Reward).ToArray();
    }

    private static float[] RandomAction(int size, Rng rng)
    {
        var a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float)rng.Uniform(-1, 1);
        return a;
    }

    private static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            (sxy, sxx, syy) = (sxy + dx * dy, sxx + dx * dx, syy + dy * dy);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
