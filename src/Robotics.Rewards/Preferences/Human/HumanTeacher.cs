using Robotics.Core.Images;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Teachers;

namespace Robotics.Rewards.Preferences.Human;

/// <summary>
/// A person as a teacher: each batch of queries is put on a <see cref="LabellingServer"/> page and the call waits
/// until every query is answered there (or the timeout passes). Answers also go into <see cref="Dataset"/>. The clips
/// are rendered on the calling thread before the page opens: a renderer's GL context belongs to the thread that made
/// it, and each batch gets a server (and a thread) of its own.
/// </summary>
public sealed class HumanTeacher(Func<Segment, IReadOnlyList<RgbImage>> clip, PreferenceDataset dataset, int port = 0,
                                 TimeSpan? timeout = null, Action<Uri>? announce = null) : IPreferenceTeacher
{
    public PreferenceDataset Dataset { get; } = dataset;

    public Preference[] Label(IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        if (pairs.Count == 0) return [];
        var clips = new Dictionary<Segment, IReadOnlyList<RgbImage>>(ReferenceEqualityComparer.Instance);
        foreach (var (a, b) in pairs)
        {
            if (!clips.ContainsKey(a)) clips[a] = clip(a);
            if (!clips.ContainsKey(b)) clips[b] = clip(b);
        }
        using var server = new LabellingServer(pairs, segment => clips[segment], Dataset, port);
        (announce ?? (uri => Console.Error.WriteLine($"label {pairs.Count} queries at {uri}")))(server.Address);
        if (!server.Completion.Wait(timeout ?? Timeout.InfiniteTimeSpan))
            throw new TimeoutException($"{server.Answered} of {pairs.Count} queries answered at {server.Address} before the time ran out");
        return server.Completion.Result;
    }
}
