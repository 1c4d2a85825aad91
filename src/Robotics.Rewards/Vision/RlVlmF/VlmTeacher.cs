using Robotics.Core.Images;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Teachers;

namespace Robotics.Rewards.Vision.RlVlmF;

/// <summary>
/// RL-VLM-F online (Wang et al. 2024): the VLM answers PEBBLE's queries in place of a scripted teacher. Each segment is
/// shown as one image, the frame after its last step (<paramref name="lastFrame"/>; the paper compares single frames,
/// not clips), and the labeller's two-stage answer becomes the label: 0 the first segment, 1 the second. Unsure (−1),
/// malformed and failed answers become <see cref="Preference.Skip"/>: kept in the dataset as asked, never trained on.
/// A session in which every question failed to reach the server throws (the labeller's rule: a wrong URL or a dead
/// server is a configuration error, not a noisy teacher). Frames are rendered on the calling thread, where the GL
/// context lives, before any question is asked; a segment in two queries is rendered once.
/// </summary>
public sealed class VlmTeacher(VlmPreferenceLabeller labeller, Func<Segment, RgbImage> lastFrame) : IPreferenceTeacher
{
    public VlmPreferenceLabeller Labeller { get; } = labeller;
    /// <summary>How the questions of every session so far ended.</summary>
    public PreferenceStats Stats { get; private set; } = new(0, 0, 0, 0, 0, 0);

    public Preference[] Label(IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        if (pairs.Count == 0) return [];
        var frames = new List<RgbImage>();
        var index = new Dictionary<Segment, int>(ReferenceEqualityComparer.Instance);
        int FrameOf(Segment segment)
        {
            if (index.TryGetValue(segment, out var i)) return i;
            frames.Add(lastFrame(segment));
            return index[segment] = frames.Count - 1;
        }
        var questions = pairs.Select(p => (FrameOf(p.A), FrameOf(p.B))).ToArray();
        var (_, stats, answers) = Labeller.LabelAsync(questions, i => frames[i]).GetAwaiter().GetResult();
        Stats = new PreferenceStats(Stats.Asked + stats.Asked, Stats.Preferred + stats.Preferred, Stats.Unsure + stats.Unsure,
                                    Stats.Malformed + stats.Malformed, Stats.Failed + stats.Failed, Stats.Cached + stats.Cached);
        return answers.Select(a => a.Label switch { 0 => Preference.First, 1 => Preference.Second, _ => Preference.Skip }).ToArray();
    }
}
