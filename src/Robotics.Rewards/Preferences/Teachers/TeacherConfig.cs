namespace Robotics.Rewards.Preferences.Teachers;

/// <summary>
/// A simulated teacher's irrationalities, as B-Pref parameterises them (Lee et al. 2021, "B-Pref: Benchmarking
/// Preference-Based Reinforcement Learning", §3.2; reward_model.py get_label):
/// <list type="bullet">
/// <item>β, rationality: P(B ≻ A) = softmax(β·R) over the two returns; β = −1 (any β ≤ 0) is perfectly rational.</item>
/// <item>γ, myopia: step t of a T-step segment counts γ^(T−1−t), so early steps weigh less.</item>
/// <item>ε, mistake: the label is flipped with probability ε.</item>
/// <item>skip: a query is skipped when neither segment's return exceeds skip·margin.</item>
/// <item>equal: a query is answered "equal" when the returns differ by less than equal·margin.</item>
/// </list>
/// The margin is the return of a typical segment (B-Pref: the mean episode return scaled to the segment length).
/// </summary>
public sealed record TeacherConfig(double Beta = -1, double Gamma = 1, double Mistake = 0, double Skip = 0, double Equal = 0)
{
    /// <summary>Perfectly rational, never wrong, answers everything.</summary>
    public static TeacherConfig Oracle { get; } = new();
    /// <summary>B-Pref "Stoc": Bradley–Terry noise with β = 1.</summary>
    public static TeacherConfig Noisy { get; } = new(Beta: 1);
    /// <summary>B-Pref "Mistake": a rational teacher that flips 10% of its answers.</summary>
    public static TeacherConfig MistakePreset { get; } = new(Mistake: 0.1);
    /// <summary>B-Pref "Skip": skips queries whose better segment earns under 10% of a typical segment's return.</summary>
    public static TeacherConfig SkipPreset { get; } = new(Skip: 0.1);
    /// <summary>B-Pref "Myopic": weighs step t by 0.9^(T−1−t).</summary>
    public static TeacherConfig Myopic { get; } = new(Gamma: 0.9);
    /// <summary>B-Pref "Equal": calls pairs equal when their returns differ by under 10% of a typical segment's return.</summary>
    public static TeacherConfig EqualPreset { get; } = new(Equal: 0.1);

    public static IReadOnlyList<string> PresetNames { get; } = ["oracle", "mistake", "noisy", "skip", "myopic", "equal"];

    public static TeacherConfig Preset(string name) => name.Trim().ToLowerInvariant() switch
    {
        "oracle" => Oracle,
        "mistake" => MistakePreset,
        "noisy" or "stoc" => Noisy,
        "skip" => SkipPreset,
        "myopic" => Myopic,
        "equal" => EqualPreset,
        _ => throw new ArgumentException($"unknown teacher '{name}'; known teachers: {string.Join(", ", PresetNames)}"),
    };

    public bool PerfectlyRational => Beta <= 0;

    public void Validate()
    {
        if (double.IsNaN(Beta) || double.IsInfinity(Beta)) throw new ArgumentException($"teacher: β must be finite (−1 = perfectly rational), got {Beta}");
        if (Gamma is <= 0 or > 1 || double.IsNaN(Gamma)) throw new ArgumentException($"teacher: γ (myopia) must be in (0, 1], got {Gamma}");
        if (Mistake is < 0 or > 1 || double.IsNaN(Mistake)) throw new ArgumentException($"teacher: ε (mistake) must be in [0, 1], got {Mistake}");
        if (!(Skip >= 0) || !(Equal >= 0)) throw new ArgumentException($"teacher: skip ({Skip}) and equal ({Equal}) thresholds must be >= 0");
    }
}
