using System.Globalization;
using System.Text.Json;

namespace Robotics.Cli.Reports;

/// <summary>
/// One seed's run directory as a report sees it: metrics, summary, videos. <see cref="PartialReason"/> says why
/// the run is incomplete (no summary yet, interrupted, unreadable files); a partial run is shown, never an error.
/// </summary>
public sealed record SeedRun(string Directory, int? Seed, MetricsTable Metrics, RunSummary? Summary,
                             IReadOnlyList<string> Videos, IReadOnlyList<string> Gifs, IReadOnlyList<string> Problems)
{
    public bool IsPartial => Problems.Count > 0;
    public string? PartialReason => IsPartial ? string.Join("; ", Problems) : null;
    public string Label => Seed is int s ? $"seed {s}" : Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory));

    /// <summary>Reads one run directory (what `robo train` writes); <paramref name="seed"/> comes from the folder name when known.</summary>
    public static SeedRun Load(string directory, int? seed)
    {
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(directory))
            return new SeedRun(directory, seed, MetricsTable.EmptyTable, null, [], [], ["not started (no directory yet)"]);

        var metrics = MetricsTable.EmptyTable;
        var csv = Path.Combine(directory, Robotics.Agents.Logging.MetricsLogger.CsvFileName);
        if (!File.Exists(csv)) problems.Add("no metrics.csv");
        else
        {
            try { metrics = MetricsTable.Load(csv); }
            catch (InvalidDataException e) { problems.Add(e.Message); }
        }

        var summary = RunSummary.TryLoad(directory, out var summaryProblem);
        if (summaryProblem != null) problems.Add(summaryProblem);
        if (summary is { Interrupted: true }) problems.Add($"interrupted at step {summary.Steps?.ToString(CultureInfo.InvariantCulture) ?? "?"}");

        seed ??= ConfigSeed(directory);
        var videoDir = Path.Combine(directory, "videos");
        return new SeedRun(directory, seed, metrics, summary, Files(videoDir, "*.mp4"), Files(videoDir, "*.gif"), problems);
    }

    private static IReadOnlyList<string> Files(string dir, string pattern) =>
        System.IO.Directory.Exists(dir) ? System.IO.Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The seed recorded in config.json's request (a single run directory has no seed-S folder name).</summary>
    private static int? ConfigSeed(string directory)
    {
        using var config = Json.TryLoad(Path.Combine(directory, "config.json"));
        if (config == null || Json.Property(config.RootElement, "request") is not { } request) return null;
        return Json.Number(request, "seed") is double s ? (int)s : null;
    }
}

/// <summary>
/// What a report is drawn from: an experiment directory (run.json, experiment.yaml, one seed-S/ per seed) or a
/// single run directory (treated as an experiment of one seed). Missing pieces become nulls and partial seeds.
/// </summary>
public sealed record ExperimentRun(string Directory, string Name, string? Task, string? Algorithm, string? GitCommit,
                                   string? Started, IReadOnlyList<SeedRun> Seeds, RewardDescription Reward,
                                   string? ExperimentFile, string? ConfigJson)
{
    public const string SeedPrefix = "seed-";

    public bool IsPartial => Seeds.Count == 0 || Seeds.Any(s => s.IsPartial);

    public static ExperimentRun Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"run directory not found: '{directory}'");

        using var runJson = Json.TryLoad(Path.Combine(directory, "run.json"));
        var run = runJson?.RootElement;
        var seedDirs = SeedDirectories(directory);
        bool single = seedDirs.Count == 0 && run == null;
        if (single && !File.Exists(Path.Combine(directory, "metrics.csv")) && !File.Exists(Path.Combine(directory, RunSummary.FileName))
            && !File.Exists(Path.Combine(directory, "config.json")))
            throw new InvalidDataException($"'{directory}' is not a run directory: it has no metrics.csv, summary.json, config.json, run.json or {SeedPrefix}*/ folders");

        List<SeedRun> seeds;
        if (single) seeds = [SeedRun.Load(directory, null)];
        else
        {
            // Seeds the experiment planned (run.json) but has not reached yet are listed too, as not started.
            var planned = run is { } r && Json.Property(r, "seeds") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt32()) : [];
            seeds = seedDirs.Keys.Union(planned).Order()
                .Select(s => SeedRun.Load(seedDirs.GetValueOrDefault(s) ?? Path.Combine(directory, SeedPrefix + s), s)).ToList();
        }

        // Seeds differ only in their seed, so the first seed's config.json stands for the experiment's settings.
        var configPath = Path.Combine(seeds.FirstOrDefault(s => File.Exists(Path.Combine(s.Directory, "config.json")))?.Directory ?? directory, "config.json");
        using var config = Json.TryLoad(configPath);
        var request = config == null ? null : Json.Property(config.RootElement, "request");
        string? task = (run is { } r1 ? Json.String(r1, "task") : null) ?? (request is { } q1 ? Json.String(q1, "task") : null);
        string? algorithm = (run is { } r2 ? Json.String(r2, "algorithm") : null) ?? (request is { } q2 ? Json.String(q2, "algorithm") : null)
                            ?? seeds.Select(s => s.Summary?.Algorithm).FirstOrDefault(a => a != null);
        string? commit = (run is { } r3 ? Json.String(r3, "git_commit") : null) ?? (config != null ? Json.String(config.RootElement, "git_commit") : null);
        string? started = run is { } r4 ? Json.String(r4, "started") : null;
        string name = (run is { } r5 ? Json.String(r5, "name") : null) ?? Path.GetFileName(directory);

        var yamlPath = Path.Combine(directory, "experiment.yaml");
        var yaml = File.Exists(yamlPath) ? File.ReadAllText(yamlPath) : null;
        var reward = RewardDescription.Find(directory, seeds.Select(s => s.Directory), config?.RootElement, task);
        return new ExperimentRun(directory, name, task, algorithm, commit, started, seeds, reward, yaml,
                                 config != null ? File.ReadAllText(configPath) : null);
    }

    /// <summary>seed-S/ folders by seed number (so seed-10 sorts after seed-2).</summary>
    private static Dictionary<int, string> SeedDirectories(string directory)
    {
        var result = new Dictionary<int, string>();
        foreach (var dir in System.IO.Directory.GetDirectories(directory, SeedPrefix + "*"))
            if (int.TryParse(Path.GetFileName(dir)[SeedPrefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
                result[seed] = dir;
        return result;
    }
}
