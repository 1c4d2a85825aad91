namespace Robotics.Rewards.Preferences.Data;

/// <summary>
/// A teacher's answer to "which of these two segments is better?". The numbers of First and Second are B-Pref's
/// labels (0: the first, 1: the second); Equal trains toward 0.5/0.5; Skip ("can't tell") is kept in the dataset as a
/// record of the query but never trained on.
/// </summary>
public enum Preference : sbyte
{
    First = 0,
    Second = 1,
    Equal = 2,
    Skip = -1,
}

public static class PreferenceExtensions
{
    /// <summary>The Bradley–Terry target P(second is preferred): 0, 1 or ½; skips have none.</summary>
    public static float TargetSecond(this Preference p) => p switch
    {
        Preference.First => 0f,
        Preference.Second => 1f,
        Preference.Equal => 0.5f,
        _ => throw new ArgumentException("a skipped query has no training target"),
    };

    public static bool IsTrainable(this Preference p) => p != Preference.Skip;

    /// <summary>The label as it reads in files and on the labelling page: "0", "1", "equal", "skip".</summary>
    public static string ToText(this Preference p) => p switch
    {
        Preference.First => "0",
        Preference.Second => "1",
        Preference.Equal => "equal",
        Preference.Skip => "skip",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };

    public static Preference Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "0" or "first" or "left" => Preference.First,
        "1" or "second" or "right" => Preference.Second,
        "equal" or "=" => Preference.Equal,
        "skip" => Preference.Skip,
        _ => throw new FormatException($"'{text}' is not a preference; use 0, 1, equal or skip"),
    };
}
