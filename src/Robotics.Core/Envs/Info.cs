namespace Robotics.Core.Envs;

/// <summary>
/// Step information: named numbers (reward components, "success" as 0/1, episode statistics). Plain numbers keep
/// it cheap to log as metrics; the final observation of an auto-reset episode rides alongside.
/// </summary>
public sealed class Info : Dictionary<string, double>
{
    public const string SuccessKey = "success";

    public bool Success
    {
        get => TryGetValue(SuccessKey, out var v) && v > 0.5;
        set => this[SuccessKey] = value ? 1.0 : 0.0;
    }

    /// <summary>Set by vector envs that auto-reset: the last observation of the episode that just ended.</summary>
    public float[]? FinalObservation { get; set; }

    public Info() { }

    public Info(Info other) : base(other) => FinalObservation = other.FinalObservation;
}
