using System.Text.Encodings.Web;
using System.Text.Json;
using Robotics.Rewards.Sandbox;

namespace Robotics.Rewards.Sources;

/// <summary>
/// The failures of a reward program during training: counted by kind, the first few kept in memory and, when given a
/// file, appended to it as JSON lines (reward/errors.jsonl in a run directory) with the state that produced each.
/// Thread-safe: every env copy of a vector env reports here.
/// </summary>
public sealed class RewardErrorLog(string? path = null, int keep = 20) : IDisposable
{
    /// <summary>States print as &lt;x, y, z&gt;; the log stays readable rather than \u003C-escaped.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly object _lock = new();
    private readonly List<ProgramFailure> _first = new();
    private readonly Dictionary<FailureKind, long> _counts = new();
    private StreamWriter? _file;

    public long Count { get; private set; }
    public IReadOnlyList<ProgramFailure> First { get { lock (_lock) return _first.ToList(); } }
    public IReadOnlyDictionary<FailureKind, long> Counts { get { lock (_lock) return new Dictionary<FailureKind, long>(_counts); } }

    public void Record(ProgramFailure failure)
    {
        lock (_lock)
        {
            Count++;
            _counts[failure.Kind] = _counts.GetValueOrDefault(failure.Kind) + 1;
            if (_first.Count >= keep) return; // a program that fails every step would otherwise fill the disk
            _first.Add(failure);
            if (path is null) return;
            if (_file is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                _file = new StreamWriter(path, append: true) { AutoFlush = true };
            }
            _file.WriteLine(JsonSerializer.Serialize(new
            {
                kind = failure.Kind.ToString(), message = failure.Message, state = failure.State.ToString(), action = failure.Action,
            }, Json));
        }
    }

    public void Dispose()
    {
        lock (_lock) _file?.Dispose();
    }
}
