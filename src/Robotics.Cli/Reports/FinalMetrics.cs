namespace Robotics.Cli.Reports;

/// <summary>Mean, sample standard deviation (n−1; null for one value) and count of a metric's final values over seeds.</summary>
public sealed record SeedStatistics(double Mean, double? Std, int N)
{
    /// <summary>"0.7 ± 0.1414"; a lone seed shows its value alone, since one seed has no spread.</summary>
    public string Text => Std is double s ? $"{NumberText.Value(Mean)} ± {NumberText.Value(s)}" : NumberText.Value(Mean);

    /// <summary>Statistics over the finite values; null when there are none (every seed partial, or the metric never logged).</summary>
    public static SeedStatistics? Of(IEnumerable<double?> values)
    {
        var v = values.Where(x => x is double d && double.IsFinite(d)).Select(x => x!.Value).ToList();
        if (v.Count == 0) return null;
        double mean = v.Sum(x => x / v.Count);
        double? std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : null;
        return new SeedStatistics(mean, std, v.Count);
    }
}

/// <summary>One row of the final-metrics table: a metric's final value in each seed (null where a seed has none).</summary>
public sealed record FinalMetric(string Name, string Source, IReadOnlyList<double?> PerSeed)
{
    public SeedStatistics? Statistics => SeedStatistics.Of(PerSeed);
}

/// <summary>
/// Which final numbers a run is judged by: the final evaluation and throughput from each seed's summary.json, and
/// the last logged value of every eval/* metric (which a partial run without a summary still has).
/// </summary>
public static class FinalMetrics
{
    public static IReadOnlyList<FinalMetric> Of(ExperimentRun run)
    {
        var seeds = run.Seeds;
        var rows = new List<FinalMetric>
        {
            new("success rate", "summary.json: success_rate", seeds.Select(s => s.Summary?.SuccessRate).ToList()),
            new("mean return", "summary.json: mean_return", seeds.Select(s => s.Summary?.MeanReturn).ToList()),
            new("policy evaluated (step)", "summary.json: policy_step (the last step, or the best one's with final_policy: best)",
                seeds.Select(s => s.Summary?.PolicyStep is long p ? (double?)p : null).ToList()),
            new("best evaluation success", "summary.json: best_success_rate (checkpoints/best.ckpt)", seeds.Select(s => s.Summary?.BestSuccessRate).ToList()),
            // A run without a summary still got somewhere: its last logged step says where.
            new("steps", "summary.json: steps (else the last step in metrics.csv)",
                seeds.Select(s => s.Summary?.Steps is long n ? n : s.Metrics.Metrics.Count > 0 ? (double?)s.Metrics.LastStep : null).ToList()),
            new("steps per second", "summary.json: steps_per_sec", seeds.Select(s => s.Summary?.StepsPerSecond).ToList()),
            new("wall time (s)", "summary.json: seconds", seeds.Select(s => s.Summary?.Seconds).ToList()),
        };
        foreach (var metric in EvalMetrics(run))
            rows.Add(new FinalMetric($"{metric} (last)", "metrics.csv: last logged value", seeds.Select(s => s.Metrics[metric].Last).ToList()));
        return rows;
    }

    /// <summary>Every eval/* metric any seed logged: the three the trainer writes first, then any others by name.</summary>
    public static IReadOnlyList<string> EvalMetrics(ExperimentRun run)
    {
        string[] known = ["eval/success_rate", "eval/episodic_return", "eval/episode_length"];
        var logged = run.Seeds.SelectMany(s => s.Metrics.Metrics).Where(m => m.StartsWith("eval/", StringComparison.Ordinal)).ToHashSet();
        return known.Where(logged.Contains).Concat(logged.Except(known).Order(StringComparer.Ordinal)).ToList();
    }
}
