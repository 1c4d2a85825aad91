using System.Text.Json;
using System.Text.Json.Serialization;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Bundles;

/// <summary>
/// The human- and machine-readable description a policy bundle carries (as JSON in its safetensors metadata):
/// what the policy is, what it reads, what it commands and at what rate, and where it came from.
/// </summary>
public sealed record BundleManifest
{
    public const string FormatName = "robotics.policy-bundle";
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Algorithm { get; init; }
    public required string Task { get; init; }
    /// <summary>The env control mode it was trained with (FrankaEnv's ControlMode name).</summary>
    public required string Control { get; init; }
    /// <summary>The rate it was trained at: one action per env step (1 / FrankaEnv.ControlTimestep).</summary>
    public required double ControlRateHz { get; init; }
    public required int ObservationSize { get; init; }
    public required int ActionSize { get; init; }
    public required IReadOnlyList<ObservationEntry> ObservationLayout { get; init; }
    /// <summary>Perception items the layout reads (lower-case names).</summary>
    public required IReadOnlyList<string> RequiredPerception { get; init; }
    public required ActionScaling ActionScaling { get; init; }
    /// <summary>How observations are normalised; the statistics are tensors in the bundle, applied inside the policy.</summary>
    public required string ObservationNormalization { get; init; }
    /// <summary>The checkpoint's metadata (hyperparameters, step counters, seed), less RNG states.</summary>
    public required IReadOnlyDictionary<string, string> Training { get; init; }
    public required string SourceCheckpoint { get; init; }
    public required string SourceSha256 { get; init; }
    public required DateTimeOffset Created { get; init; }
    /// <summary>Observation/action pairs the exporting build computed; loading recomputes and compares them.</summary>
    public required int ProbeCount { get; init; }

    [JsonIgnore]
    public PolicyRequirements Requirements => new(Task, ActionScaling, Bundles.ObservationLayout.Parse(RequiredPerception));

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BundleManifest FromJson(string json, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BundleManifest>(json, Json) ?? throw new InvalidDataException($"'{path}': the bundle manifest is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': the bundle manifest does not parse ({e.Message})", e);
        }
    }
}
