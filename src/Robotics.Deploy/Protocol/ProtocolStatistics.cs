namespace Robotics.Deploy.Protocol;

/// <summary>
/// What one side of a connection saw, by outcome. Counters are updated from the receive and send paths and read
/// by status lines and summaries, hence Interlocked.
/// </summary>
public sealed class ProtocolStatistics
{
    private long _sent, _received, _badChecksum, _malformed, _unknownType, _outOfOrder, _stale, _violations;

    public long FramesSent => Interlocked.Read(ref _sent);
    /// <summary>Frames that passed every check and were handed on.</summary>
    public long FramesAccepted => Interlocked.Read(ref _received);
    public long BadChecksum => Interlocked.Read(ref _badChecksum);
    /// <summary>Good checksum, but the payload does not parse as its type, or the message is not valid in this direction or state.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);
    public long UnknownType => Interlocked.Read(ref _unknownType);
    /// <summary>Replayed or overtaken frames: sequence at or below the newest accepted one.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);
    /// <summary>Messages discarded because their content was too old to act on.</summary>
    public long Stale => Interlocked.Read(ref _stale);
    /// <summary>Framing failures (bad length, bad magic, other version, truncation) that closed a connection.</summary>
    public long Violations => Interlocked.Read(ref _violations);

    internal void CountSent() => Interlocked.Increment(ref _sent);
    internal void CountAccepted() => Interlocked.Increment(ref _received);
    internal void CountBadChecksum() => Interlocked.Increment(ref _badChecksum);
    public void CountMalformed() => Interlocked.Increment(ref _malformed);
    internal void CountUnknownType() => Interlocked.Increment(ref _unknownType);
    public void CountOutOfOrder() => Interlocked.Increment(ref _outOfOrder);
    public void CountStale() => Interlocked.Increment(ref _stale);
    internal void CountViolation() => Interlocked.Increment(ref _violations);

    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>
    {
        ["frames_sent"] = FramesSent, ["frames_accepted"] = FramesAccepted, ["bad_checksum"] = BadChecksum,
        ["malformed"] = Malformed, ["unknown_type"] = UnknownType, ["out_of_order"] = OutOfOrder, ["stale"] = Stale,
        ["violations"] = Violations,
    };
}
