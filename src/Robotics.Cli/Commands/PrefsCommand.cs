using System.CommandLine;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo prefs …`: rewards learned from preferences — eval (a reward model against the true reward), pebble (SAC
/// from a scripted teacher's preferences), transfer (PEARL's cross-task alignment), label (answer queries yourself),
/// inspect (what a saved reward model pays for).
/// Each subcommand lives in its own Prefs*Command.cs; this file holds the group and the shared parsers.
/// </summary>
public static class PrefsCommand
{
    public static Command Create() => new("prefs", "rewards learned from preferences: evaluate reward models, train with PEBBLE")
    {
        PrefsEvalCommand.Create(),
        PrefsPebbleCommand.Create(),
        PrefsTransferCommand.Create(),
        PrefsLabelCommand.Create(),
        PrefsInspectCommand.Create(),
    };

    public static EnsembleAggregation ParseAggregation(string name) => name.Trim().ToLowerInvariant() switch
    {
        "mean" => EnsembleAggregation.Mean,
        "worst_case" or "worst-case" => EnsembleAggregation.WorstCase,
        "uncertainty" => EnsembleAggregation.UncertaintyWeighted,
        _ => throw new ArgumentException($"unknown aggregation '{name}'; use mean, worst_case or uncertainty"),
    };

    public static QuerySampling ParseSampling(string name) => name.Trim().ToLowerInvariant() switch
    {
        "uniform" => QuerySampling.Uniform,
        "disagreement" => QuerySampling.Disagreement,
        "entropy" => QuerySampling.Entropy,
        _ => throw new ArgumentException($"unknown query sampling '{name}'; use uniform, disagreement or entropy"),
    };

    internal static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}
