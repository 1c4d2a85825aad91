using Robotics.Core.Images;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Human;

/// <summary>
/// Renders a segment as a clip by replaying its episode: the env is reset with the episode's seed and driven with
/// the recorded actions up to the segment's start, then filmed for the segment's steps. The env is deterministic
/// (same seed, same actions, same states), so the clip shows exactly the steps the segment holds. Every
/// <paramref name="stride"/>-th step is kept. Renders on the calling thread (the GL context belongs to it).
/// </summary>
public sealed class ReplayClips(FrankaEnv env, IReadOnlyList<Trajectory> trajectories, int stride = 2)
{
    private readonly Dictionary<(string, int), Trajectory> _byOrigin =
        trajectories.GroupBy(t => (t.Policy, t.EpisodeSeed)).ToDictionary(g => g.Key, g => g.First());

    public IReadOnlyList<RgbImage> Render(Segment segment)
    {
        if (!_byOrigin.TryGetValue((segment.Origin.Policy, segment.Origin.EpisodeSeed), out var trajectory))
            throw new ArgumentException($"no recorded episode {segment.Origin.Policy}/{segment.Origin.EpisodeSeed} to replay segment {segment.Origin} from");
        env.Reset(segment.Origin.EpisodeSeed);
        var frames = new List<RgbImage>();
        for (int t = 0; t < segment.Origin.Start + segment.Length; t++)
        {
            env.Step(trajectory.Action(t));
            int k = t - segment.Origin.Start;
            if (k >= 0 && k % Math.Max(stride, 1) == 0) frames.Add(env.Render());
        }
        return frames;
    }
}
