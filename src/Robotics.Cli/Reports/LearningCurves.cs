namespace Robotics.Cli.Reports;

/// <summary>
/// One learning-curve plot of a report: the metric, the section it belongs to, its smoothing window, and the y range
/// its axis always shows (0…1 for rates).
/// </summary>
public sealed record CurveSpec(string Metric, string Section, int Smoothing, (double Min, double Max)? YInclude);

/// <summary>
/// Which metrics a report plots, in reading order: evaluation first (what the run achieved), then the training
/// episodes, then every loss and every reward component. Throughput and episode lengths are left to the table.
/// </summary>
public static class LearningCurves
{
    /// <summary>Noisy per-episode and per-update curves are smoothed over this many points; evaluations never are.</summary>
    public const int TrainingSmoothing = 5;

    private static readonly (string Metric, string Section)[] Leading =
    [
        ("eval/success_rate", "Evaluation"),
        ("eval/episodic_return", "Evaluation"),
        ("charts/episodic_return", "Training episodes"),
        ("charts/success", "Training episodes"),
    ];

    private static readonly (string Prefix, string Section)[] Families =
    [
        ("losses/", "Losses"),
        ("reward/", "Reward components"),
    ];

    public static IReadOnlyList<CurveSpec> Select(IEnumerable<ExperimentRun> runs)
    {
        var logged = runs.SelectMany(r => r.Seeds).SelectMany(s => s.Metrics.Metrics).ToHashSet();
        var specs = Leading.Where(l => logged.Contains(l.Metric)).Select(l => Spec(l.Metric, l.Section)).ToList();
        foreach (var (prefix, section) in Families)
            specs.AddRange(logged.Where(m => m.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(m => Spec(m, section)));
        return specs;
    }

    private static CurveSpec Spec(string metric, string section) =>
        new(metric, section,
            metric.StartsWith("eval/", StringComparison.Ordinal) ? 1 : TrainingSmoothing,
            metric.EndsWith("success_rate", StringComparison.Ordinal) || metric == "charts/success" ? (0, 1) : null);
}
