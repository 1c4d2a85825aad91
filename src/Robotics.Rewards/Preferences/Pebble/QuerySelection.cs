using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Models;

namespace Robotics.Rewards.Preferences.Pebble;

/// <summary>Which recorded segment pairs to ask the teacher about (B-Pref feed_type 0, 1, 2).</summary>
public enum QuerySampling
{
    /// <summary>Pairs drawn uniformly.</summary>
    Uniform,
    /// <summary>From a pool of large_batch × as many uniform pairs, those the members disagree on most (std of P(B ≻ A)).</summary>
    Disagreement,
    /// <summary>From the same pool, those whose predicted preference is most uncertain (members' mean entropy of P(B ≻ A)).</summary>
    Entropy,
}

public static class QuerySelection
{
    /// <summary>B-Pref's large_batch: the candidate pool is this many times the queries asked.</summary>
    public const int DefaultLargeBatch = 10;

    public static List<(Segment A, Segment B)> Select(QuerySampling sampling, IReadOnlyList<Trajectory> trajectories, int count, int length,
                                                      RewardEnsemble model, Rng rng, int largeBatch = DefaultLargeBatch)
    {
        if (sampling == QuerySampling.Uniform || count == 0) return SegmentSampler.SamplePairs(trajectories, count, length, rng);
        var candidates = SegmentSampler.SamplePairs(trajectories, count * largeBatch, length, rng);
        var scores = Scores(sampling, model.PairProbabilities(candidates));
        return Enumerable.Range(0, candidates.Count).OrderByDescending(i => scores[i]).Take(count).Select(i => candidates[i]).ToList();
    }

    /// <summary>Each candidate's score from the members' P(B ≻ A) [members, pairs]: higher is asked first.</summary>
    public static double[] Scores(QuerySampling sampling, double[,] probabilities)
    {
        int members = probabilities.GetLength(0), pairs = probabilities.GetLength(1);
        var scores = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            double mean = 0, variance = 0, entropy = 0;
            for (int m = 0; m < members; m++) mean += probabilities[m, i];
            mean /= members;
            for (int m = 0; m < members; m++)
            {
                double p = probabilities[m, i];
                variance += (p - mean) * (p - mean);
                entropy += BinaryEntropy(p);
            }
            scores[i] = sampling == QuerySampling.Disagreement ? Math.Sqrt(variance / members) : entropy / members;
        }
        return scores;
    }

    private static double BinaryEntropy(double p)
    {
        double Term(double x) => x <= 0 ? 0 : -x * Math.Log(x);
        return Term(p) + Term(1 - p);
    }
}
