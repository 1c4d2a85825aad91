using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Teachers;

namespace Robotics.Rewards.Preferences.Transfer;

/// <summary>
/// PEARL's cross-task preference alignment (CPA; Liu et al. 2023, "Zero-shot preference learning for offline RL via
/// optimal transport"): label a target task's segment pairs without a target teacher. Each task's segments form a
/// metric space of their own (distances between segments of the same task); entropic Gromov–Wasserstein couples the
/// two spaces, and a target pair's label is the source labels averaged over the source pairs its segments are
/// coupled with: Y_t = T̂ᵀ Y_s T̂, with T̂ the coupling with each column scaled to sum to one.
/// </summary>
public static class CrossTaskTransfer
{
    /// <summary>
    /// Distances between segments of one task: the root-mean-square over aligned steps of the Euclidean distance
    /// between their state features (actions left out). Segments must share one length.
    /// </summary>
    public static double[,] SegmentDistances(IReadOnlyList<Segment> segments)
    {
        int n = segments.Count;
        var d = new double[n, n];
        if (n == 0) return d;
        int length = segments[0].Length;
        if (segments.Any(s => s.Length != length)) throw new ArgumentException("segments must share one length");
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double sum = 0;
                for (int t = 0; t < length; t++)
                {
                    var a = segments[i].Input(t);
                    var b = segments[j].Input(t);
                    for (int k = 0; k < RewardFeatures.StateSize; k++)
                    {
                        double diff = a[k] - b[k];
                        sum += diff * diff;
                    }
                }
                d[i, j] = d[j, i] = Math.Sqrt(sum / length);
            }
        return d;
    }

    /// <summary>
    /// Y[i, l] = P(segment l ≻ segment i) as the teacher answers every pair of <paramref name="segments"/> (1, 0 or ½;
    /// skipped pairs ½); the diagonal is ½.
    /// </summary>
    public static double[,] PreferenceMatrix(IReadOnlyList<Segment> segments, IPreferenceTeacher teacher)
    {
        int n = segments.Count;
        var pairs = new List<(Segment, Segment)>(n * (n - 1) / 2);
        var index = new List<(int, int)>(pairs.Capacity);
        for (int i = 0; i < n; i++)
            for (int l = i + 1; l < n; l++)
            {
                pairs.Add((segments[i], segments[l]));
                index.Add((i, l));
            }
        var labels = teacher.Label(pairs);
        var y = new double[n, n];
        for (int i = 0; i < n; i++) y[i, i] = 0.5;
        for (int k = 0; k < labels.Length; k++)
        {
            var (i, l) = index[k];
            double second = labels[k].IsTrainable() ? labels[k].TargetSecond() : 0.5;
            (y[i, l], y[l, i]) = (second, 1 - second);
        }
        return y;
    }

    /// <summary>Y_t = T̂ᵀ Y_s T̂: the source preferences [n, n] carried to the target segments [m, m] by the coupling [n, m].</summary>
    public static double[,] TransportPreferences(double[,] plan, double[,] sourcePreferences)
    {
        int n = plan.GetLength(0), m = plan.GetLength(1);
        if (sourcePreferences.GetLength(0) != n || sourcePreferences.GetLength(1) != n)
            throw new ArgumentException($"the coupling has {n} source rows; the source preferences are {sourcePreferences.GetLength(0)}×{sourcePreferences.GetLength(1)}");
        var weights = new double[n, m]; // T̂: columns sum to one
        for (int j = 0; j < m; j++)
        {
            double column = 0;
            for (int i = 0; i < n; i++) column += plan[i, j];
            for (int i = 0; i < n; i++) weights[i, j] = column > 0 ? plan[i, j] / column : 1.0 / n;
        }
        var half = new double[n, m]; // Y_s T̂
        for (int i = 0; i < n; i++)
            for (int k = 0; k < m; k++)
            {
                double sum = 0;
                for (int l = 0; l < n; l++) sum += sourcePreferences[i, l] * weights[l, k];
                half[i, k] = sum;
            }
        var target = new double[m, m];
        for (int j = 0; j < m; j++)
            for (int k = 0; k < m; k++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += weights[i, j] * half[i, k];
                target[j, k] = sum;
            }
        return target;
    }

    /// <summary>
    /// A hard label from a transported preference: "second" above ½ + <paramref name="margin"/>, "first" below
    /// ½ − margin, "equal" in between.
    /// </summary>
    public static Preference ToLabel(double preferSecond, double margin = 0) =>
        preferSecond > 0.5 + margin ? Preference.Second : preferSecond < 0.5 - margin ? Preference.First : Preference.Equal;

    /// <summary>
    /// The whole alignment: couple the source and target segments by Gromov–Wasserstein on their own distances,
    /// carry the teacher's source preferences over, and label <paramref name="targetPairs"/> (indices into
    /// <paramref name="target"/>) into a dataset of the target's layout.
    /// </summary>
    public static (PreferenceDataset Labels, double[,] Plan, double[] PreferSecond) Transfer(
        IReadOnlyList<Segment> source, IPreferenceTeacher sourceTeacher, IReadOnlyList<Segment> target,
        IReadOnlyList<(int A, int B)> targetPairs, GromovWassersteinConfig? config = null, string? targetTask = null)
    {
        if (source.Count < 2 || target.Count < 2) throw new ArgumentException("transfer needs at least two segments on each side");
        var plan = GromovWasserstein.Solve(SegmentDistances(source), SegmentDistances(target), config: config);
        var preferences = TransportPreferences(plan, PreferenceMatrix(source, sourceTeacher));
        var dataset = new PreferenceDataset(target[0].Length, target[0].ActionSize, targetTask);
        var soft = new double[targetPairs.Count];
        for (int k = 0; k < targetPairs.Count; k++)
        {
            var (a, b) = targetPairs[k];
            soft[k] = preferences[a, b];
            dataset.Add(target[a], target[b], ToLabel(soft[k]));
        }
        return (dataset, plan, soft);
    }
}
