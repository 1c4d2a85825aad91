using System.Text.Json;

namespace Robotics.Cli.Reports;

/// <summary>The fields of a run's summary.json that a report shows (written by TrainingLauncher.Describe).</summary>
public sealed record RunSummary(string? Algorithm, long? Steps, double? Seconds, double? StepsPerSecond,
                                double? SuccessRate, double? MeanReturn, bool Interrupted)
{
    /// <summary>The step whose policy SuccessRate is of (the last, or the best one's with final_policy: best).</summary>
    public long? PolicyStep { get; init; }
    /// <summary>The best evaluation's success rate and step (checkpoints/best.ckpt).</summary>
    public double? BestSuccessRate { get; init; }
    public long? BestStep { get; init; }

    public const string FileName = "summary.json";

    /// <summary>
    /// Reads summary.json; returns null with a reason when it is absent (a run still going, or killed before the end)
    /// or unreadable (killed while writing it). Neither is an error for a report: the run is shown as partial.
    /// </summary>
    public static RunSummary? TryLoad(string runDirectory, out string? problem)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            problem = "no summary.json (still running, or stopped before the end)";
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the top level is not an object");
            problem = null;
            return new RunSummary(
                Json.String(root, "algorithm"),
                Json.Number(root, "steps") is double s ? (long)s : null,
                Json.Number(root, "seconds"),
                Json.Number(root, "steps_per_sec"),
                Json.Number(root, "success_rate"),
                Json.Number(root, "mean_return"),
                root.TryGetProperty("interrupted", out var i) && i.ValueKind == JsonValueKind.True)
            {
                PolicyStep = Json.Number(root, "policy_step") is double p and >= 0 ? (long)p : null,
                BestSuccessRate = Json.Number(root, "best_success_rate"),
                BestStep = Json.Number(root, "best_step") is double b ? (long)b : null,
            };
        }
        catch (JsonException e)
        {
            problem = $"summary.json is unreadable ({e.Message})";
            return null;
        }
    }
}

/// <summary>Tolerant readers for the loosely-typed JSON files of a run directory: a missing or mistyped field is null.</summary>
internal static class Json
{
    public static string? String(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.String } p ? p.GetString() : null;

    public static double? Number(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Number } p ? p.GetDouble() : null;

    /// <summary>A property by name, ignoring case: config.json has "Task" under "request", run.json has "task".</summary>
    public static JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in obj.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    /// <summary>Parses a JSON file, or null when it is absent or not valid JSON (a report shows what it can).</summary>
    public static JsonDocument? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }
}
