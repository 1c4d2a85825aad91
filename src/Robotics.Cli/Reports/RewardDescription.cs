using System.Text.Json;

namespace Robotics.Cli.Reports;

/// <summary>
/// What the agent was rewarded for, as a report shows it: the generated reward program when the run kept one
/// (reward/program.cs, Text2Reward), else the reward settings from config.json, else the task's own reward.
/// <see cref="Code"/> is shown verbatim (escaped, in a pre block): the program's source, or the settings as JSON.
/// </summary>
public sealed record RewardDescription(string Source, string Text, string? Code)
{
    public const string ProgramPath = "reward/program.cs";

    /// <summary>
    /// Looks in the experiment directory first, then in each seed's directory (every seed of an experiment shares
    /// one reward, so the first found speaks for all).
    /// </summary>
    public static RewardDescription Find(string experimentDirectory, IEnumerable<string> seedDirectories, JsonElement? config, string? task)
    {
        foreach (var dir in seedDirectories.Prepend(experimentDirectory))
        {
            var path = Path.Combine(dir, ProgramPath);
            if (File.Exists(path))
                return new RewardDescription(Path.GetRelativePath(experimentDirectory, path), "reward program", File.ReadAllText(path));
        }
        if (config is { } c && FromConfig(c) is { } fromConfig) return fromConfig;
        var taskName = task != null ? $" '{task}'" : "";
        return new RewardDescription("default", $"hand-written dense reward of the task{taskName}", null);
    }

    /// <summary>A "reward" entry at the top of config.json or in its request: a sentence as it is, settings as JSON.</summary>
    private static RewardDescription? FromConfig(JsonElement config)
    {
        var reward = Json.Property(config, "reward")
                     ?? (Json.Property(config, "request") is { } request ? Json.Property(request, "reward") : null);
        return reward switch
        {
            { ValueKind: JsonValueKind.String } s when !string.IsNullOrWhiteSpace(s.GetString()) =>
                new RewardDescription("config.json", s.GetString()!, null),
            { ValueKind: JsonValueKind.Object } o => new RewardDescription("config.json",
                Json.String(o, "description") ?? "reward settings", JsonSerializer.Serialize(o, new JsonSerializerOptions { WriteIndented = true })),
            _ => null,
        };
    }
}
