using System.Globalization;

namespace Robotics.Agents.Logging;

/// <summary>
/// Every metric goes to metrics.csv (one row per value: step, wall time, metric, value; tidy, so new
/// metrics never change the columns) and, unless turned off, to a TensorBoard event file in the same
/// directory. Keys are namespaced as CleanRL's are: "charts/episodic_return", "losses/qf1_loss".
/// Opening an existing run directory appends, which is what a resumed run wants.
/// </summary>
public sealed class MetricsLogger : IDisposable
{
    public const string CsvFileName = "metrics.csv";

    private readonly StreamWriter _csv;
    private readonly TensorBoardWriter? _tensorBoard;
    private readonly Dictionary<string, double> _latest = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private DateTimeOffset _lastFlush = DateTimeOffset.UtcNow;
    /// <summary>Written out at least this often, so `tail -f metrics.csv` and TensorBoard follow a run as it goes.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    public string Directory { get; }
    public string? TensorBoardPath => _tensorBoard?.Path;
    /// <summary>The last value logged under each key.</summary>
    public IReadOnlyDictionary<string, double> Latest => _latest;

    public MetricsLogger(string directory, bool tensorBoard = true)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, CsvFileName);
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
        bool cutShort = !fresh && EndsMidLine(path);
        _csv = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        if (fresh) _csv.WriteLine("step,wall_time,metric,value");
        // A run killed mid-row leaves a partial line; start on a fresh one so the resumed rows stay whole.
        if (cutShort) _csv.WriteLine();
        if (tensorBoard) _tensorBoard = new TensorBoardWriter(directory);
    }

    private static bool EndsMidLine(string path)
    {
        using var f = File.OpenRead(path);
        f.Seek(-1, SeekOrigin.End);
        return f.ReadByte() != '\n';
    }

    public void Log(long step, string key, double value)
    {
        if (key.Contains(',') || key.Contains('\n')) throw new ArgumentException($"metric name '{key}' may not contain a comma or newline");
        var now = DateTimeOffset.UtcNow;
        _latest[key] = value;
        _csv.Write(step.ToString(CultureInfo.InvariantCulture));
        _csv.Write(',');
        _csv.Write((now.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        _csv.Write(',');
        _csv.Write(key);
        _csv.Write(',');
        _csv.WriteLine(value.ToString("R", CultureInfo.InvariantCulture));
        _tensorBoard?.AddScalar(key, (float)value, step, now);
        if (now - _lastFlush > FlushInterval) Flush();
    }

    public void Log(long step, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        foreach (var (key, value) in metrics) Log(step, key, value);
    }

    /// <summary>Seconds since this logger opened (for steps-per-second figures).</summary>
    public double ElapsedSeconds => (DateTimeOffset.UtcNow - _started).TotalSeconds;

    public void Flush()
    {
        _lastFlush = DateTimeOffset.UtcNow;
        _csv.Flush();
        _tensorBoard?.Flush();
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
        _tensorBoard?.Dispose();
    }
}
