using Robotics.Core.Seeding;

namespace Robotics.Rewards.Preferences.Data;

/// <summary>
/// Cuts query pairs from recorded trajectories as B-Pref and PEBBLE do: each segment of a pair comes from a
/// trajectory drawn uniformly, starting at a step drawn uniformly among those that leave a whole segment.
/// </summary>
public static class SegmentSampler
{
    /// <summary>B-Pref / PEBBLE's segment length (size_segment = 50).</summary>
    public const int DefaultLength = 50;

    public static Segment Sample(IReadOnlyList<Trajectory> trajectories, int length, Rng rng)
    {
        var usable = Usable(trajectories, length);
        var t = usable[rng.NextInt(usable.Count)];
        return t.Cut(rng.NextInt(t.Length - length + 1), length);
    }

    /// <summary><paramref name="count"/> pairs of independent segments.</summary>
    public static List<(Segment A, Segment B)> SamplePairs(IReadOnlyList<Trajectory> trajectories, int count, int length, Rng rng)
    {
        var usable = Usable(trajectories, length);
        var pairs = new List<(Segment, Segment)>(count);
        for (int i = 0; i < count; i++)
        {
            var a = usable[rng.NextInt(usable.Count)];
            var b = usable[rng.NextInt(usable.Count)];
            pairs.Add((a.Cut(rng.NextInt(a.Length - length + 1), length), b.Cut(rng.NextInt(b.Length - length + 1), length)));
        }
        return pairs;
    }

    private static List<Trajectory> Usable(IReadOnlyList<Trajectory> trajectories, int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), $"segment length must be positive, got {length}");
        var usable = trajectories.Where(t => t.Length >= length).ToList();
        if (usable.Count == 0)
            throw new InvalidOperationException($"no trajectory is {length} steps long (longest: {(trajectories.Count == 0 ? 0 : trajectories.Max(t => t.Length))}); record longer episodes or cut shorter segments");
        return usable;
    }
}
