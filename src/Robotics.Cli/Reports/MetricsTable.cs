using System.Globalization;

namespace Robotics.Cli.Reports;

/// <summary>One metric over training: steps in increasing order, one value per step (NaN and ±∞ kept as logged).</summary>
public sealed class MetricSeries
{
    public static readonly MetricSeries Empty = new([], []);

    public long[] Steps { get; }
    public double[] Values { get; }
    public int Count => Steps.Length;

    /// <summary>The value logged at the highest step, or null for an empty series.</summary>
    public double? Last => Count == 0 ? null : Values[^1];

    public MetricSeries(long[] steps, double[] values)
    {
        if (steps.Length != values.Length)
            throw new ArgumentException($"a series needs one value per step; got {steps.Length} steps and {values.Length} values");
        for (int i = 1; i < steps.Length; i++)
            if (steps[i] <= steps[i - 1]) throw new ArgumentException($"series steps must increase; step {steps[i]} follows {steps[i - 1]}");
        Steps = steps;
        Values = values;
    }
}

/// <summary>
/// A run's metrics.csv (tidy: <c>step,wall_time,metric,value</c>, one row per logged value, as
/// <see cref="Robotics.Agents.Logging.MetricsLogger"/> writes it) turned into one <see cref="MetricSeries"/> per metric.
/// Two things real run directories contain are handled rather than rejected:
/// a last line cut short by a run killed mid-write, and steps logged again by a run resumed from a checkpoint.
/// </summary>
public sealed class MetricsTable
{
    public const string Header = "step,wall_time,metric,value";

    private readonly Dictionary<string, MetricSeries> _series;

    /// <summary>The file read, for messages.</summary>
    public string? Path { get; }

    /// <summary>Metric names in the order they first appear in the file.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>True when the file's last line had no newline and was left out (the writer was killed mid-row).</summary>
    public bool DroppedTruncatedLine { get; }

    /// <summary>How many times the step went backwards in the file: each is a run resumed from an earlier checkpoint.</summary>
    public int Resumes { get; }

    private MetricsTable(string? path, List<string> order, Dictionary<string, MetricSeries> series, bool droppedTruncatedLine, int resumes)
    {
        Path = path;
        Metrics = order;
        _series = series;
        DroppedTruncatedLine = droppedTruncatedLine;
        Resumes = resumes;
    }

    public static MetricsTable EmptyTable { get; } = new(null, [], new(), false, 0);

    public bool Contains(string metric) => _series.ContainsKey(metric);

    /// <summary>The series of one metric; empty when the run never logged it.</summary>
    public MetricSeries this[string metric] => _series.GetValueOrDefault(metric) ?? MetricSeries.Empty;

    /// <summary>The highest step any metric was logged at (0 for an empty table).</summary>
    public long LastStep => _series.Values.Where(s => s.Count > 0).Select(s => s.Steps[^1]).DefaultIfEmpty(0).Max();

    public static MetricsTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no metrics file at '{path}'", path);
        // FileShare.ReadWrite: a report may be drawn while training still appends to the file.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), path);
    }

    /// <summary>Parses the text of a metrics file; <paramref name="path"/> only names the file in error messages.</summary>
    public static MetricsTable Parse(string text, string path)
    {
        // The logger ends every row with a newline, so a last line without one is a row the writer never finished:
        // even when it parses, its value may have lost digits ("6" of "640.2"), so it is left out rather than trusted.
        var lines = text.Split('\n');
        bool droppedTruncated = lines[^1].Length > 0;
        int complete = lines.Length - 1;
        if (complete == 0) return new MetricsTable(path, [], new(), droppedTruncated, 0);

        if (lines[0].TrimEnd('\r') != Header)
            throw new InvalidDataException($"{path}, line 1: expected the header '{Header}', found '{Shorten(lines[0].TrimEnd('\r'))}'");

        var points = new Dictionary<string, SortedDictionary<long, double>>();
        var order = new List<string>();
        long maxStep = long.MinValue;
        int resumes = 0;
        for (int i = 1; i < complete; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var (step, metric, value) = ParseRow(line, path, lineNumber: i + 1);
            if (step < maxStep)
            {
                // A resumed run starts logging again from its checkpoint's step. What the killed run logged from
                // that step on was thrown away with it, so it goes from every metric, not only from this one.
                resumes++;
                foreach (var series in points.Values)
                    foreach (var stale in series.Keys.Where(s => s >= step).ToList()) series.Remove(stale);
                maxStep = step;
            }
            maxStep = Math.Max(maxStep, step);
            if (!points.TryGetValue(metric, out var seriesPoints))
            {
                points[metric] = seriesPoints = new SortedDictionary<long, double>();
                order.Add(metric);
            }
            seriesPoints[step] = value; // the same step twice: the later row wins
        }
        var result = points.ToDictionary(p => p.Key, p => new MetricSeries(p.Value.Keys.ToArray(), p.Value.Values.ToArray()));
        return new MetricsTable(path, order, result, droppedTruncated, resumes);
    }

    private static (long Step, string Metric, double Value) ParseRow(string line, string path, int lineNumber)
    {
        var fields = line.Split(',');
        if (fields.Length != 4)
        {
            var hint = fields.Length > 4 ? " (a row cut short by a killed run and then continued by a resumed one looks like this)" : "";
            throw new InvalidDataException($"{path}, line {lineNumber}: expected 4 fields (step,wall_time,metric,value), found {fields.Length}{hint}: '{Shorten(line)}'");
        }
        if (!long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step) || step < 0)
            throw new InvalidDataException($"{path}, line {lineNumber}: step '{Shorten(fields[0])}' is not a non-negative integer");
        if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new InvalidDataException($"{path}, line {lineNumber}: wall_time '{Shorten(fields[1])}' is not a number");
        if (fields[2].Length == 0)
            throw new InvalidDataException($"{path}, line {lineNumber}: the metric name is empty");
        // NaN and ±Infinity are what double.ToString("R") writes for a diverged loss: kept, and skipped when drawn.
        if (!double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new InvalidDataException($"{path}, line {lineNumber}: value '{Shorten(fields[3])}' of {fields[2]} is not a number");
        return (step, fields[2], value);
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
