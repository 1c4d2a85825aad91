using System.Text.Json;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Preferences.Data;

/// <summary>One answered query: two segments and which one the teacher preferred.</summary>
public sealed record LabelledPair(Segment A, Segment B, Preference Label);

/// <summary>
/// The queries asked so far and their answers. Every segment has the same length and input layout. Saved as one
/// safetensors file: inputs_a / inputs_b [N, T, D] float32, labels [N] int8 (0, 1, 2 = equal, −1 = skip) and the
/// origins (episode seed, start step) [N, 2] int32, with the policy names, the task and the layout in the metadata,
/// so Python's safetensors reads it as it is.
/// </summary>
public sealed class PreferenceDataset
{
    public const string Format = "robotics-preferences-v1";

    private readonly List<LabelledPair> _pairs = new();

    public PreferenceDataset(int segmentLength, int actionSize, string? task = null)
    {
        if (segmentLength < 1) throw new ArgumentOutOfRangeException(nameof(segmentLength), $"segment length must be positive, got {segmentLength}");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), $"action size must be positive, got {actionSize}");
        (SegmentLength, ActionSize, Task) = (segmentLength, actionSize, task);
    }

    public int SegmentLength { get; }
    public int ActionSize { get; }
    public int InputSize => RewardFeatures.InputSize(ActionSize);
    /// <summary>The task the segments come from, when known.</summary>
    public string? Task { get; }
    public IReadOnlyList<LabelledPair> Pairs => _pairs;
    public int Count => _pairs.Count;
    /// <summary>The pairs a model trains on (skips left out).</summary>
    public IEnumerable<LabelledPair> Trainable => _pairs.Where(p => p.Label.IsTrainable());
    public int CountOf(Preference label) => _pairs.Count(p => p.Label == label);

    public void Add(Segment a, Segment b, Preference label)
    {
        foreach (var s in new[] { a, b })
            if (s.Length != SegmentLength || s.ActionSize != ActionSize)
                throw new ArgumentException($"this dataset holds {SegmentLength}-step segments with {ActionSize}-number actions; got {s.Length} steps with {s.ActionSize}");
        if (!Enum.IsDefined(label)) throw new ArgumentOutOfRangeException(nameof(label), label, "not a preference");
        _pairs.Add(new LabelledPair(a, b, label));
    }

    public void AddRange(IReadOnlyList<(Segment A, Segment B)> pairs, IReadOnlyList<Preference> labels)
    {
        if (pairs.Count != labels.Count) throw new ArgumentException($"{pairs.Count} pairs but {labels.Count} labels");
        for (int i = 0; i < pairs.Count; i++) Add(pairs[i].A, pairs[i].B, labels[i]);
    }

    public void Save(string path)
    {
        int n = Count, t = SegmentLength, d = InputSize;
        using var scope = NewDisposeScope();
        var inputsA = new float[(long)n * t * d];
        var inputsB = new float[(long)n * t * d];
        var labels = new sbyte[n];
        var originA = new int[n * 2];
        var originB = new int[n * 2];
        for (int i = 0; i < n; i++)
        {
            var p = _pairs[i];
            p.A.Inputs.CopyTo(inputsA, (long)i * t * d);
            p.B.Inputs.CopyTo(inputsB, (long)i * t * d);
            labels[i] = (sbyte)p.Label;
            (originA[2 * i], originA[2 * i + 1]) = (p.A.Origin.EpisodeSeed, p.A.Origin.Start);
            (originB[2 * i], originB[2 * i + 1]) = (p.B.Origin.EpisodeSeed, p.B.Origin.Start);
        }
        var tensors = new Dictionary<string, Tensor>
        {
            ["inputs_a"] = tensor<float>(inputsA, [n, t, d]),
            ["inputs_b"] = tensor<float>(inputsB, [n, t, d]),
            ["labels"] = tensor<sbyte>(labels, [n]),
            ["origin_a"] = tensor<int>(originA, [n, 2]),
            ["origin_b"] = tensor<int>(originB, [n, 2]),
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["segment_length"] = t.ToString(),
            ["action_size"] = ActionSize.ToString(),
            ["state_features"] = RewardFeatures.StateSize.ToString(),
            ["policies_a"] = JsonSerializer.Serialize(_pairs.Select(p => p.A.Origin.Policy)),
            ["policies_b"] = JsonSerializer.Serialize(_pairs.Select(p => p.B.Origin.Policy)),
        };
        if (Task is not null) metadata["task"] = Task;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        SafeTensors.Save(path, tensors, metadata);
    }

    public static PreferenceDataset Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no preference dataset at {path}", path);
        using var scope = NewDisposeScope();
        var (tensors, metadata) = SafeTensors.Load(path);
        string Meta(string key) => metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: not a preference dataset (no '{key}' in its metadata)");
        Tensor Get(string key) => tensors.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: preference dataset has no tensor '{key}'");
        if (Meta("format") != Format) throw new InvalidDataException($"{path}: format '{Meta("format")}', expected '{Format}'");
        if (int.Parse(Meta("state_features")) != RewardFeatures.StateSize)
            throw new InvalidDataException($"{path}: segments have {Meta("state_features")} state features; this build reads {RewardFeatures.StateSize}");
        int t = int.Parse(Meta("segment_length")), actionSize = int.Parse(Meta("action_size"));
        var dataset = new PreferenceDataset(t, actionSize, metadata.GetValueOrDefault("task"));
        var labels = Get("labels").ToArray<sbyte>();
        int n = labels.Length, d = dataset.InputSize;
        var inputsA = Get("inputs_a");
        if (!inputsA.shape.SequenceEqual(new long[] { n, t, d }))
            throw new InvalidDataException($"{path}: inputs_a has shape [{string.Join(", ", inputsA.shape)}], expected [{n}, {t}, {d}]");
        var a = inputsA.ToArray<float>();
        var b = Get("inputs_b").ToArray<float>();
        var originA = Get("origin_a").ToArray<int>();
        var originB = Get("origin_b").ToArray<int>();
        var policiesA = JsonSerializer.Deserialize<string[]>(Meta("policies_a")) ?? [];
        var policiesB = JsonSerializer.Deserialize<string[]>(Meta("policies_b")) ?? [];
        if (b.Length != a.Length || originA.Length != 2 * n || originB.Length != 2 * n || policiesA.Length != n || policiesB.Length != n)
            throw new InvalidDataException($"{path}: the tensors and metadata disagree on the number of pairs ({n} labels)");
        int rows = t * d;
        for (int i = 0; i < n; i++)
        {
            var label = (Preference)labels[i];
            if (!Enum.IsDefined(label)) throw new InvalidDataException($"{path}: pair {i} has label {labels[i]}; labels are 0, 1, 2 (equal) or -1 (skip)");
            var segA = new Segment(a.AsSpan(i * rows, rows).ToArray(), t, actionSize, new SegmentOrigin(policiesA[i], originA[2 * i], originA[2 * i + 1]));
            var segB = new Segment(b.AsSpan(i * rows, rows).ToArray(), t, actionSize, new SegmentOrigin(policiesB[i], originB[2 * i], originB[2 * i + 1]));
            dataset.Add(segA, segB, label);
        }
        return dataset;
    }

    /// <summary>Splits off the last <paramref name="fraction"/> of the pairs (e.g. held-out queries) as the second dataset.</summary>
    public (PreferenceDataset Kept, PreferenceDataset SplitOff) Split(double fraction)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(fraction));
        int keep = Count - (int)Math.Round(Count * fraction);
        var first = new PreferenceDataset(SegmentLength, ActionSize, Task);
        var rest = new PreferenceDataset(SegmentLength, ActionSize, Task);
        for (int i = 0; i < Count; i++) (i < keep ? first : rest)._pairs.Add(_pairs[i]);
        return (first, rest);
    }
}
