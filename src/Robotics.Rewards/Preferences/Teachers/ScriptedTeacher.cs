using Robotics.Core.Seeding;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Teachers;

/// <summary>
/// B-Pref's simulated teacher: reads each segment's per-step rewards from a ground-truth reward source (the task's
/// hand-written reward, or any other) and answers as <see cref="TeacherConfig"/> describes, in B-Pref's order:
/// skip, then the rational (or Bradley–Terry) answer on the myopically weighted returns, then mistakes, and finally
/// "equal" wherever the unweighted returns are within the equal threshold. Returns that tie exactly as the teacher
/// sees them (myopia included) are answered "equal" by every teacher (B-Pref would answer "first"; an exact tie has
/// no better segment).
/// </summary>
public sealed class ScriptedTeacher : IPreferenceTeacher
{
    private readonly IRewardSource _truth;
    private readonly Rng _rng;

    public ScriptedTeacher(IRewardSource groundTruth, TeacherConfig config, Rng rng)
    {
        config.Validate();
        (_truth, Config, _rng) = (groundTruth, config, rng);
    }

    public TeacherConfig Config { get; }

    /// <summary>
    /// The return of a typical segment, which the skip and equal thresholds scale (B-Pref: mean episode return ×
    /// segment length / episode length). When unset, each <see cref="Label"/> call uses the mean return of the segments it is asked about.
    /// </summary>
    public double? Margin { get; set; }

    public IRewardSource GroundTruthSource => _truth;

    public Preference[] Label(IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        var rewards = pairs.Select(p => (A: GroundTruth.StepRewards(_truth, p.A), B: GroundTruth.StepRewards(_truth, p.B))).ToList();
        double margin = Margin ?? (pairs.Count == 0 ? 0 : rewards.Average(r => (GroundTruth.Return(r.A) + GroundTruth.Return(r.B)) / 2));
        var labels = new Preference[pairs.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = Answer(rewards[i].A, rewards[i].B, margin);
        return labels;
    }

    /// <summary>One query, answered from the two segments' per-step ground-truth rewards.</summary>
    public Preference Answer(ReadOnlySpan<double> rewardsA, ReadOnlySpan<double> rewardsB, double margin)
    {
        double returnA = GroundTruth.Return(rewardsA), returnB = GroundTruth.Return(rewardsB);
        if (Config.Skip > 0 && Math.Max(returnA, returnB) <= Config.Skip * margin) return Preference.Skip;
        double seenA = GroundTruth.Return(rewardsA, Config.Gamma), seenB = GroundTruth.Return(rewardsB, Config.Gamma);
        bool equal = Math.Abs(returnA - returnB) < Config.Equal * margin || seenA == seenB;

        bool second = Config.PerfectlyRational
            ? seenA < seenB
            : _rng.NextDouble() < 1 / (1 + Math.Exp(Config.Beta * (seenA - seenB))); // softmax(β·[R_A, R_B])[1]
        if (Config.Mistake > 0 && _rng.NextDouble() < Config.Mistake) second = !second;
        if (equal) return Preference.Equal;
        return second ? Preference.Second : Preference.First;
    }
}
