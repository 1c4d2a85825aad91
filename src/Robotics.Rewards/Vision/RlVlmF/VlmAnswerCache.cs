using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Robotics.Core.Images;

namespace Robotics.Rewards.Vision.RlVlmF;

/// <summary>What the VLM said about one pair: its analysis (stage 1) and its answer to the labelling question (stage 2).</summary>
public sealed record VlmAnswer(string Analysis, string Answer);

/// <summary>
/// The VLM's answers on disk, one JSON line per pair, keyed by a SHA-256 of the model, the prompts and both images'
/// pixels: labelling again (a rerun, a crashed run resumed, another seed of the reward learner) asks nothing already
/// asked, which is most of an RL-VLM-F run's cost. Appends as answers arrive, so a crash loses at most the pair in flight.
/// A line that does not parse (a torn last write) is skipped. Thread-safe.
/// </summary>
public sealed class VlmAnswerCache : IDisposable
{
    private readonly Dictionary<string, VlmAnswer> _answers = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly StreamWriter? _file;

    public string? Path { get; }
    public int Count { get { lock (_lock) return _answers.Count; } }

    /// <param name="path">the .jsonl file (created when missing); null keeps answers in memory only</param>
    public VlmAnswerCache(string? path)
    {
        Path = path;
        if (path is null) return;
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var root = doc.RootElement;
                    _answers[root.GetProperty("key").GetString()!] = new VlmAnswer(root.GetProperty("analysis").GetString()!, root.GetProperty("answer").GetString()!);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    // a torn line from an interrupted write: that pair is asked again
                }
            }
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _file = new StreamWriter(path, append: true, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public bool TryGet(string key, out VlmAnswer answer)
    {
        lock (_lock) return _answers.TryGetValue(key, out answer!);
    }

    public void Add(string key, VlmAnswer answer)
    {
        lock (_lock)
        {
            _answers[key] = answer;
            _file?.WriteLine(JsonSerializer.Serialize(new { key, analysis = answer.Analysis, answer = answer.Answer }));
        }
    }

    /// <summary>The key of a question: who is asked, what, and about which two images (in order).</summary>
    public static string Key(string model, string prompt, RgbImage first, RgbImage second)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        void Image(RgbImage image)
        {
            sha.AppendData(BitConverter.GetBytes(image.Width));
            sha.AppendData(BitConverter.GetBytes(image.Height));
            sha.AppendData(image.Pixels);
        }
        Text(model);
        Text(prompt);
        Image(first);
        Image(second);
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    public void Dispose()
    {
        lock (_lock) _file?.Dispose();
    }
}
