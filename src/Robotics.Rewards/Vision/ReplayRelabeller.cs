using Robotics.Agents.Buffers;
using Robotics.Core.Images;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Vision;

/// <summary>
/// Writes frame-based rewards into a replay buffer's rows in batches: the trainer records (row, frame) as it adds each
/// transition, and every <see cref="BatchSize"/> frames (or on <see cref="Flush"/>, before an update that must see
/// them) the source labels the whole batch in one model call and the rewards land in <see cref="ReplayBuffer.Rewards"/>.
/// A queued row that the ring overwrote before the flush is skipped: its frame no longer belongs to it.
/// </summary>
public sealed class ReplayRelabeller(IFrameRewardSource source, int batchSize = 64)
{
    private readonly List<(int Row, long Generation, RgbImage Frame)> _pending = new();
    private readonly Dictionary<int, long> _generation = new();
    private long _added;

    public IFrameRewardSource Source { get; } = source;
    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be positive");
    public int Pending => _pending.Count;
    /// <summary>Rows written so far.</summary>
    public long Relabelled { get; private set; }
    /// <summary>Called after each flush with the rows written and their labels (components too), e.g. to log them.</summary>
    public Action<IReadOnlyList<(int Row, RewardLabel Label)>>? Labelled { get; set; }

    /// <summary>Queues the frame seen after the transition stored in <paramref name="row"/>; flushes into <paramref name="buffer"/> once a batch is full.</summary>
    public void Add(ReplayBuffer buffer, int row, RgbImage frame)
    {
        if (row < 0 || row >= buffer.Capacity) throw new ArgumentOutOfRangeException(nameof(row), row, $"the buffer has {buffer.Capacity} rows");
        _generation[row] = ++_added;
        _pending.Add((row, _added, frame));
        if (_pending.Count >= BatchSize) Flush(buffer);
    }

    /// <summary>Labels everything queued and writes the rewards into the buffer.</summary>
    public void Flush(ReplayBuffer buffer)
    {
        if (_pending.Count == 0) return;
        // Only the latest frame queued for a row is its frame; older ones were overwritten by the ring.
        var live = _pending.Where(p => _generation[p.Row] == p.Generation).ToArray();
        _pending.Clear();
        var labels = Source.LabelFrames(live.Select(p => p.Frame).ToArray());
        var rewards = buffer.Rewards;
        for (int i = 0; i < live.Length; i++)
        {
            if (live[i].Row >= rewards.Length) continue; // not yet filled: cannot happen for rows the trainer added
            rewards[live[i].Row] = (float)labels[i].Reward;
        }
        Relabelled += live.Length;
        Labelled?.Invoke(live.Select((p, i) => (p.Row, labels[i])).ToArray());
    }

    /// <summary>Relabels given rows at once (frames kept beside the buffer), in batches of <see cref="BatchSize"/>.</summary>
    public void Relabel(ReplayBuffer buffer, IReadOnlyList<(int Row, RgbImage Frame)> rows)
    {
        foreach (var (row, frame) in rows) Add(buffer, row, frame);
        Flush(buffer);
    }
}
