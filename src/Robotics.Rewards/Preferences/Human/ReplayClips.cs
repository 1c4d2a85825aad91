using Robotics.Core.Images;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Human;

/// <summary>
/// Renders a segment by replaying its episode: the env is reset with the episode's seed and driven with the recorded
/// actions up to the segment's start, then filmed for the segment's steps. The env is deterministic (same seed, same
/// actions, same states), so the frames show exactly the steps the segment holds. <see cref="Render"/> keeps every
/// <paramref name="stride"/>-th step (a clip for a person); <see cref="RenderLast"/> only the segment's last step (the
/// single image a VLM compares). Renders on the calling thread (the GL context belongs to it).
/// </summary>
public sealed class ReplayClips(FrankaEnv env, IReadOnlyList<Trajectory> trajectories, int stride = 2)
{
    private readonly Dictionary<(string, int), Trajectory> _byOrigin =
        trajectories.GroupBy(t => (t.Policy, t.EpisodeSeed)).ToDictionary(g => g.Key, g => g.First());

    public IReadOnlyList<RgbImage> Render(Segment segment) => Replay(segment, k => k % Math.Max(stride, 1) == 0);

    /// <summary>The frame after the segment's last step.</summary>
    public RgbImage RenderLast(Segment segment) => Replay(segment, k => k == segment.Length - 1).Single();

    /// <summary>Replays the segment's episode to its end, rendering after the segment's steps k (from 0) that <paramref name="film"/> picks.</summary>
    private List<RgbImage> Replay(Segment segment, Func<int, bool> film)
    {
        if (!_byOrigin.TryGetValue((segment.Origin.Policy, segment.Origin.EpisodeSeed), out var trajectory))
            throw new ArgumentException($"no recorded episode {segment.Origin.Policy}/{segment.Origin.EpisodeSeed} to replay segment {segment.Origin} from");
        env.Reset(segment.Origin.EpisodeSeed);
        var frames = new List<RgbImage>();
        for (int t = 0; t < segment.Origin.Start + segment.Length; t++)
        {
            env.Step(trajectory.Action(t));
            int k = t - segment.Origin.Start;
            if (k >= 0 && film(k)) frames.Add(env.Render());
        }
        return frames;
    }
}
