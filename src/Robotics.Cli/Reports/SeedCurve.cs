namespace Robotics.Cli.Reports;

/// <summary>
/// A curve ready to draw: at each x, the mean over seeds, the sample standard deviation (n−1; 0 where one seed
/// contributes) and how many seeds contributed there. Every value is finite.
/// </summary>
public sealed record Curve(double[] X, double[] Mean, double[] Std, int[] N)
{
    public int Count => X.Length;
    /// <summary>Seeds with at least one finite value: the n a legend shows.</summary>
    public int Seeds { get; init; } = 1;
}

/// <summary>
/// Turns the series of one metric from several seeds into one mean ± std <see cref="Curve"/>.
/// Seeds that logged at the same steps (losses, evaluations: fixed intervals) are aligned step by step.
/// Seeds whose steps differ (episodic metrics: an episode ends whenever it ends) are first averaged into
/// at most about <see cref="Bins"/> equal step bins, so that "the mean at step s" compares like with like.
/// Very long aligned series are binned the same way, so a plot never carries more points than pixels.
/// </summary>
public static class SeedCurve
{
    public const int Bins = 100;
    /// <summary>Binning aims at this many points of each seed per bin at least.</summary>
    public const int MinPointsPerBin = 3;
    /// <summary>Beyond this many points a plot ~600 px wide gains nothing; bin instead.</summary>
    public const int MaxPoints = 500;

    public static Curve Aggregate(IReadOnlyList<MetricSeries> seeds)
    {
        // NaN and ±∞ (a diverged loss) cannot be drawn or averaged; they are skipped, not zeroed.
        var finite = seeds.Select(Finite).Where(s => s.Count > 0).ToList();
        if (finite.Count == 0) return new Curve([], [], [], []) { Seeds = 0 };
        var curve = StepsAgree(finite) && finite.Max(s => s.Count) <= MaxPoints ? Aligned(finite) : Binned(finite);
        return curve with { Seeds = finite.Count };
    }

    /// <summary>
    /// Centred moving average over <paramref name="window"/> points (shrinking at the ends, so no lag and no invented
    /// values); the std band is smoothed alike so it stays around the line. The window never spans more than a tenth
    /// of the curve: smoothing is there to remove noise, and on a short curve it would flatten the shape instead.
    /// </summary>
    public static Curve Smooth(Curve c, int window)
    {
        int half = Math.Min(window, c.Count / 10) / 2;
        if (half < 1) return c;
        var mean = new double[c.Count];
        var std = new double[c.Count];
        for (int i = 0; i < c.Count; i++)
        {
            int lo = Math.Max(0, i - half), hi = Math.Min(c.Count - 1, i + half);
            int n = hi - lo + 1;
            double m = 0, s = 0;
            for (int j = lo; j <= hi; j++) { m += c.Mean[j] / n; s += c.Std[j] / n; } // divided first: no overflow
            mean[i] = m;
            std[i] = s;
        }
        return c with { Mean = mean, Std = std };
    }

    private static MetricSeries Finite(MetricSeries s)
    {
        if (s.Values.All(double.IsFinite)) return s;
        var keep = Enumerable.Range(0, s.Count).Where(i => double.IsFinite(s.Values[i])).ToArray();
        return new MetricSeries(keep.Select(i => s.Steps[i]).ToArray(), keep.Select(i => s.Values[i]).ToArray());
    }

    /// <summary>
    /// True when, over the steps all seeds cover, they logged at exactly the same steps. A seed that stopped early
    /// (a partial run) still agrees: past its end the mean is over the seeds that went on.
    /// </summary>
    private static bool StepsAgree(List<MetricSeries> seeds)
    {
        if (seeds.Count == 1) return true;
        long from = seeds.Max(s => s.Steps[0]), to = seeds.Min(s => s.Steps[^1]);
        if (from > to) return false;
        var reference = Within(seeds[0], from, to);
        return seeds.Skip(1).All(s => Within(s, from, to).SequenceEqual(reference));
    }

    private static IEnumerable<long> Within(MetricSeries s, long from, long to) => s.Steps.Where(x => x >= from && x <= to);

    private static Curve Aligned(List<MetricSeries> seeds)
    {
        var byStep = new SortedDictionary<long, List<double>>();
        foreach (var s in seeds)
            for (int i = 0; i < s.Count; i++)
            {
                if (!byStep.TryGetValue(s.Steps[i], out var values)) byStep[s.Steps[i]] = values = [];
                values.Add(s.Values[i]);
            }
        return FromGroups(byStep.Select(kv => ((double)kv.Key, kv.Value)).ToList());
    }

    private static Curve Binned(List<MetricSeries> seeds)
    {
        long first = seeds.Min(s => s.Steps[0]), last = seeds.Max(s => s.Steps[^1]);
        // About Bins bins, fewer when seeds have few points: a bin should hold several episodes of every seed,
        // or the "std over seeds" is mostly the spread of single episodes. The bins split [first, last] evenly
        // (the last one closed), so no bin at either end covers a sliver of the data.
        int bins = Math.Clamp(seeds.Min(s => s.Count) / MinPointsPerBin, 1, Bins);
        double width = Math.Max(1, (last - first) / (double)bins);
        long BinOf(long step) => Math.Min(bins - 1, (long)((step - first) / width));
        var groups = new SortedDictionary<long, (List<double> Values, List<double> Steps)>();
        foreach (var s in seeds)
        {
            // Each seed contributes one value per bin (its own mean there), so a seed with more episodes in a bin
            // does not outweigh the others.
            foreach (var bin in Enumerable.Range(0, s.Count).GroupBy(i => BinOf(s.Steps[i])))
            {
                if (!groups.TryGetValue(bin.Key, out var g)) groups[bin.Key] = g = ([], []);
                g.Values.Add(MeanOf(bin.Select(i => s.Values[i]).ToList()));
                g.Steps.AddRange(bin.Select(i => (double)s.Steps[i]));
            }
        }
        // A bin is drawn at the mean step of its points, not at its centre: the curve then starts and ends where the
        // data does, instead of half a bin beyond the last episode.
        return FromGroups(groups.Values.Select(g => (MeanOf(g.Steps), g.Values)).ToList());
    }

    /// <summary>The mean, with each value divided before summing so that values near double.MaxValue stay finite.</summary>
    private static double MeanOf(IReadOnlyList<double> values) => values.Sum(v => v / values.Count);

    private static Curve FromGroups(List<(double X, List<double> Values)> groups)
    {
        var c = new Curve(new double[groups.Count], new double[groups.Count], new double[groups.Count], new int[groups.Count]);
        for (int i = 0; i < groups.Count; i++)
        {
            var (x, values) = groups[i];
            double mean = MeanOf(values);
            // Sample std (n−1), as the final-metrics table reports it; a lone seed has no spread to show.
            double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
            c.X[i] = x;
            c.Mean[i] = mean;
            c.Std[i] = double.IsFinite(std) ? std : 0;
            c.N[i] = values.Count;
        }
        return c;
    }
}
