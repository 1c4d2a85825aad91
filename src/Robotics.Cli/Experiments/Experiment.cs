using Robotics.Agents.Iql;
using Robotics.Agents.Ppo;
using Robotics.Agents.Sac;
using Robotics.Envs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Robotics.Cli.Experiments;

/// <summary>Where rewards come from. More sources (program, clip, preferences) arrive with their issues.</summary>
public sealed class RewardSection
{
    /// <summary>dense: the task's hand-written shaped reward (0–10); sparse: 1 when solved.</summary>
    public string Source { get; set; } = "dense";
}

/// <summary>Makes the offline dataset at the start of the run: the task's scripted expert with Gaussian action noise.</summary>
public sealed class CollectSection
{
    public int Episodes { get; set; } = 100;
    /// <summary>Std of the Gaussian noise on every action number (then clipped to [-1, 1]).</summary>
    public double Noise { get; set; } = 0.3;
    public int Seed { get; set; }
    /// <summary>A miscalibrated demonstrator: in this fraction of the episodes the expert aims at goal + goal_offset.</summary>
    public double OffsetFraction { get; set; }
    /// <summary>x, y, z in metres.</summary>
    public List<float> GoalOffset { get; set; } = [0, 0, 0];
}

public sealed class EvaluationSection
{
    /// <summary>Evaluate every this many steps (0 = only at the end).</summary>
    public long Every { get; set; } = 10_000;
    public int Episodes { get; set; } = 10;
}

/// <summary>
/// An experiment file (YAML, snake_case keys): what to train, on what, for how long, with which seeds.
/// Unknown keys and bad values are errors that name the key and its line.
/// </summary>
public sealed class Experiment
{
    public static readonly string[] Algorithms = ["sac", "ppo", "iql", "bc", "expert"];
    public static readonly string[] Controls = ["end_effector", "joint_delta"];
    public static readonly string[] RewardSources = ["dense", "sparse"];

    public string Name { get; set; } = "experiment";
    public string Task { get; set; } = "reach";
    public string Control { get; set; } = "end_effector";
    public RewardSection Reward { get; set; } = new();
    public string Algorithm { get; set; } = "sac";
    /// <summary>One run per seed; `seed: S` is shorthand for `seeds: [S]`.</summary>
    public List<int>? Seeds { get; set; }
    public int? Seed { get; set; }
    /// <summary>Env steps (online), gradient steps (offline); the algorithm's default when absent.</summary>
    public long? Steps { get; set; }
    public string Device { get; set; } = "cpu";
    /// <summary>libtorch threads (0 = one per core).</summary>
    public int Threads { get; set; }
    public EvaluationSection Evaluation { get; set; } = new();
    public long CheckpointEvery { get; set; } = 10_000;
    /// <summary>Keep the replay buffer in checkpoints, so an interrupted run resumes exactly.</summary>
    public bool CheckpointReplay { get; set; } = true;
    public bool Video { get; set; } = true;
    public string? Out { get; set; }
    /// <summary>Episodes for algorithm: expert (the scripted policy's rollouts).</summary>
    public int Episodes { get; set; } = 10;
    /// <summary>The offline dataset (.npz from `robo collect`) for iql and bc; relative paths are from the experiment file.</summary>
    public string? Dataset { get; set; }
    /// <summary>Or: record the dataset when the run starts (into the run directory's dataset.npz).</summary>
    public CollectSection? Collect { get; set; }
    public SacConfig Sac { get; set; } = new();
    public PpoConfig Ppo { get; set; } = new();
    public IqlConfig Iql { get; set; } = new();
    public BcConfig Bc { get; set; } = new();

    public IReadOnlyList<int> SeedList => Seeds ?? [Seed ?? 0];

    /// <summary>The dataset's path, read relative to the experiment file's folder.</summary>
    public string? DatasetPath(string experimentPath) =>
        Dataset is null ? null : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(experimentPath))!, Dataset));

    public static Experiment Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"experiment file not found: '{path}'", path);
        var text = File.ReadAllText(path);
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        Experiment file;
        var lines = new KeyLines();
        try
        {
            lines.Read(text);
            file = deserializer.Deserialize<Experiment>(text) ?? new Experiment();
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new InvalidDataException($"{path}, line {e.Start.Line}: {inner}");
        }
        file.Validate(path, lines);
        return file;
    }

    private void Validate(string path, KeyLines lines)
    {
        void Fail(string key, string message) => throw new InvalidDataException($"{path}, line {lines.Of(key)}: {key}: {message}");
        void OneOf(string key, string value, string[] allowed)
        {
            if (!allowed.Contains(value)) Fail(key, $"'{value}' is not one of: {string.Join(", ", allowed)}");
        }
        if (!FrankaSuite.Names.Contains(Task)) Fail("task", $"unknown task '{Task}'; known tasks: {string.Join(", ", FrankaSuite.Names)}");
        OneOf("algorithm", Algorithm, Algorithms);
        OneOf("control", Control, Controls);
        OneOf("reward.source", Reward.Source, RewardSources);
        OneOf("device", Device, ["cpu", "cuda"]);
        if (Seeds is not null && Seed is not null) Fail("seeds", "give either seed or seeds, not both");
        if (Seeds is { Count: 0 }) Fail("seeds", "the list is empty");
        if (Seeds is not null && Seeds.Distinct().Count() != Seeds.Count) Fail("seeds", "a seed appears twice");
        if (Steps is <= 0) Fail("steps", $"must be positive, got {Steps}");
        if (Threads < 0) Fail("threads", $"must be 0 (one per core) or more, got {Threads}");
        if (Evaluation.Every < 0) Fail("evaluation.every", $"must be 0 or more, got {Evaluation.Every}");
        if (Evaluation.Episodes < 1) Fail("evaluation.episodes", $"must be at least 1, got {Evaluation.Episodes}");
        if (CheckpointEvery < 0) Fail("checkpoint_every", $"must be 0 or more, got {CheckpointEvery}");
        if (Episodes < 1) Fail("episodes", $"must be at least 1, got {Episodes}");
        if (Algorithm is "iql" or "bc" && Dataset is null && Collect is null)
            Fail("dataset", $"{Algorithm} learns offline: name a dataset (.npz from `robo collect`) or add a collect section");
        if (Dataset is not null && Collect is not null) Fail("collect", "give either dataset or collect, not both");
        if (Collect is { Episodes: < 1 }) Fail("collect.episodes", $"must be at least 1, got {Collect.Episodes}");
        if (Collect is not null && !(Collect.Noise >= 0 && double.IsFinite(Collect.Noise))) Fail("collect.noise", $"must be a finite number >= 0, got {Collect.Noise}");
        if (Collect is { OffsetFraction: < 0 or > 1 }) Fail("collect.offset_fraction", $"must be in [0, 1], got {Collect.OffsetFraction}");
        if (Collect is not null && Collect.GoalOffset.Count != 3) Fail("collect.goal_offset", $"needs three numbers (x, y, z in metres), got {Collect.GoalOffset.Count}");
        if (Dataset is not null && !File.Exists(DatasetPath(path))) Fail("dataset", $"file not found: '{DatasetPath(path)}'");
        foreach (var (key, validate) in new (string, Action)[] { ("sac", Sac.Validate), ("ppo", Ppo.Validate), ("iql", Iql.Validate), ("bc", Bc.Validate) })
        {
            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                // Only the chosen algorithm's settings must make sense with the file's step count.
                if (key == Algorithm || lines.Has(key)) Fail(key, e.Message);
            }
        }
    }

    /// <summary>The line of each key path ("evaluation.every"), so value errors can point at their line as parse errors do.</summary>
    private sealed class KeyLines
    {
        private readonly Dictionary<string, long> _lines = new();

        public void Read(string text)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root) Walk(root, "");
        }

        private void Walk(YamlMappingNode node, string prefix)
        {
            foreach (var (key, value) in node.Children)
            {
                var path = prefix + ((YamlScalarNode)key).Value;
                _lines[path] = key.Start.Line;
                if (value is YamlMappingNode child) Walk(child, path + ".");
            }
        }

        public bool Has(string key) => _lines.ContainsKey(key);

        /// <summary>The key's line, or its section's, or 1 for a key left at its default.</summary>
        public long Of(string key)
        {
            for (var k = key; ; k = k[..k.LastIndexOf('.')])
            {
                if (_lines.TryGetValue(k, out var line)) return line;
                if (!k.Contains('.')) return 1;
            }
        }
    }
}
