using Robotics.Core.Data;
using Robotics.Core.Images;
using Robotics.Envs;
using Robotics.Envs.Franka;

namespace Robotics.Rewards.Vision.Offline;

/// <summary>
/// The frames of an offline dataset that stored only state vectors, re-rendered by replaying it: episode k is reset
/// with seed <see cref="FirstSeed"/> + k (as `robo collect` seeds them) and stepped with the dataset's own actions,
/// which the env contract makes bit-identical to the recording. Every replayed observation is checked against the
/// dataset, so a dataset from other seeds, another task or other env options is refused instead of labelled with
/// frames of some other scene. Episodes end at a terminal or a timeout.
/// </summary>
public sealed class EpisodeReplay(string task, int firstSeed = 0, FrankaEnvOptions? options = null, string? camera = null)
{
    public string Task { get; } = task;
    public int FirstSeed { get; } = firstSeed;

    /// <summary>[start, start + length) of each episode, in order.</summary>
    public static IReadOnlyList<(int Start, int Length)> Episodes(TransitionDataset data)
    {
        var episodes = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (!data.Terminals[i] && !data.Timeouts[i]) continue;
            episodes.Add((start, i + 1 - start));
            start = i + 1;
        }
        if (start < data.Count) episodes.Add((start, data.Count - start));
        return episodes;
    }

    /// <summary>
    /// The frame after the transition in each of <paramref name="rows"/> (the scene its next observation describes, as
    /// a reward for that transition should see it). Only the episodes holding requested rows are replayed.
    /// </summary>
    public Dictionary<int, RgbImage> RenderAfter(TransitionDataset data, IEnumerable<int> rows)
    {
        var wanted = new HashSet<int>(rows);
        foreach (var r in wanted)
            if (r < 0 || r >= data.Count) throw new ArgumentOutOfRangeException(nameof(rows), r, $"the dataset has {data.Count} rows");
        var frames = new Dictionary<int, RgbImage>();
        if (wanted.Count == 0) return frames;
        using var env = new FrankaEnv(FrankaSuite.CreateTask(Task), options);
        var episodes = Episodes(data);
        for (int k = 0; k < episodes.Count; k++)
        {
            var (start, length) = episodes[k];
            int last = -1;
            for (int t = 0; t < length; t++) if (wanted.Contains(start + t)) last = t;
            if (last < 0) continue;
            var reset = env.Reset(FirstSeed + k).Observation;
            Check(reset, data.Observation(start), start, k, "reset observation");
            for (int t = 0; t <= last; t++)
            {
                int row = start + t;
                var step = env.Step(data.Action(row));
                Check(step.Observation, data.NextObservation(row), row, k, "next observation");
                if (wanted.Contains(row)) frames[row] = camera is null ? env.Render() : env.Render(camera);
            }
        }
        return frames;
    }

    private void Check(ReadOnlySpan<float> replayed, ReadOnlySpan<float> recorded, int row, int episode, string what)
    {
        for (int j = 0; j < replayed.Length; j++)
        {
            if (replayed[j] == recorded[j] || Math.Abs(replayed[j] - recorded[j]) <= 1e-5f * (1 + Math.Abs(recorded[j]))) continue;
            throw new InvalidDataException(
                $"replaying episode {episode} of task '{Task}' with seed {FirstSeed + episode} does not reproduce the dataset: row {row}'s {what} differs at " +
                $"index {j} ({replayed[j]} vs {recorded[j]}). The dataset was recorded with other seeds (set the first seed `robo collect --seed` used), another task, or other env options");
        }
    }
}
