namespace Robotics.Deploy.Control;

/// <summary>One episode of a deployment.</summary>
public sealed record EpisodeResult(int Episode, int? Seed, bool Success, int? StepsToSuccess, int Steps, string? StoppedBy);

/// <summary>
/// What a deployment reports on its last line: whether the task was solved, how much was done, and every safety
/// intervention by kind. <see cref="SuccessSource"/> says who judged success: the robot itself (a simulator), the
/// task's success test on perceived states, or nobody (the robot does not perceive what the test needs).
/// </summary>
public sealed record DeploySummary
{
    public required string Policy { get; init; }
    public required string Task { get; init; }
    public required string Robot { get; init; }
    public required bool Success { get; init; }
    public required double SuccessRate { get; init; }
    public required string SuccessSource { get; init; }
    public required int Episodes { get; init; }
    public required int Steps { get; init; }
    public required IReadOnlyDictionary<string, int> Interventions { get; init; }
    public required int InterventionTotal { get; init; }
    /// <summary>The intervention kind that ended the run early (operator_stop, watchdog_stop, connection_lost), or null.</summary>
    public string? StoppedBy { get; init; }
    public string? StopReason { get; init; }
    public required double Seconds { get; init; }
    public required double RateHz { get; init; }
    public required double MeanRateHz { get; init; }
    /// <summary>Control steps that started more than one period late (a busy machine).</summary>
    public required int LateSteps { get; init; }
    public required IReadOnlyList<EpisodeResult> EpisodeResults { get; init; }
    public required IReadOnlyDictionary<string, long> Link { get; init; }
    public double? RoundTripMs { get; init; }
    public string? Log { get; init; }
}
