namespace Robotics.Deploy.Bridge;

/// <summary>What the bridge did over its life, for its summary line and for tests.</summary>
public sealed class BridgeStatistics
{
    private long _connections, _sessions, _busy, _helloFailures, _violations, _timeouts, _faults;
    private long _applied, _stale, _outOfOrder, _superseded, _rejected, _statesSent, _dropped;
    private long _badChecksum, _malformed, _unknown, _replayed;

    public long Connections => Interlocked.Read(ref _connections);
    /// <summary>Connections that completed Hello and controlled the robot.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);
    public long RejectedBusy => Interlocked.Read(ref _busy);
    /// <summary>Connections closed because their first message was not a valid Hello in time.</summary>
    public long HelloFailures => Interlocked.Read(ref _helloFailures);
    public long ProtocolViolations => Interlocked.Read(ref _violations);
    public long SessionTimeouts => Interlocked.Read(ref _timeouts);
    public long RobotFaults => Interlocked.Read(ref _faults);
    public long CommandsApplied => Interlocked.Read(ref _applied);
    public long CommandsOutOfOrder => Interlocked.Read(ref _outOfOrder);
    public long CommandsSuperseded => Interlocked.Read(ref _superseded);
    /// <summary>Commands computed from a state older than the age limit, or sent for an earlier episode.</summary>
    public long CommandsStale => Interlocked.Read(ref _stale);
    /// <summary>Commands refused by the bridge's own checks (a future episode, the wrong mode, non-finite numbers, wrong joint count).</summary>
    public long CommandsRejected => Interlocked.Read(ref _rejected);
    public long StatesSent => Interlocked.Read(ref _statesSent);
    public long MessagesDropped => Interlocked.Read(ref _dropped);
    public long BadChecksum => Interlocked.Read(ref _badChecksum);
    public long Malformed => Interlocked.Read(ref _malformed);
    public long UnknownType => Interlocked.Read(ref _unknown);
    /// <summary>Frames discarded by the sequence check on arrival (replayed or out of order).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    internal void Connection() => Interlocked.Increment(ref _connections);
    internal void Session() => Interlocked.Increment(ref _sessions);
    internal void Busy() => Interlocked.Increment(ref _busy);
    internal void HelloFailure() => Interlocked.Increment(ref _helloFailures);
    internal void Violation() => Interlocked.Increment(ref _violations);
    internal void Timeout() => Interlocked.Increment(ref _timeouts);
    internal void Fault() => Interlocked.Increment(ref _faults);
    internal void Applied() => Interlocked.Increment(ref _applied);
    internal void Stale() => Interlocked.Increment(ref _stale);
    internal void OutOfOrder() => Interlocked.Increment(ref _outOfOrder);
    internal void Superseded() => Interlocked.Increment(ref _superseded);
    internal void Rejected() => Interlocked.Increment(ref _rejected);
    internal void StateSent() => Interlocked.Increment(ref _statesSent);
    internal void Dropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Adds a finished connection's receive-side counts.</summary>
    internal void Absorb(Protocol.ProtocolStatistics s)
    {
        Interlocked.Add(ref _badChecksum, s.BadChecksum);
        Interlocked.Add(ref _malformed, s.Malformed);
        Interlocked.Add(ref _unknown, s.UnknownType);
        Interlocked.Add(ref _replayed, s.OutOfOrder);
    }

    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>
    {
        ["connections"] = Connections, ["sessions"] = Sessions, ["rejected_busy"] = RejectedBusy, ["hello_failures"] = HelloFailures,
        ["protocol_violations"] = ProtocolViolations, ["session_timeouts"] = SessionTimeouts, ["robot_faults"] = RobotFaults,
        ["commands_applied"] = CommandsApplied, ["commands_stale"] = CommandsStale, ["commands_out_of_order"] = CommandsOutOfOrder,
        ["commands_superseded"] = CommandsSuperseded, ["commands_rejected"] = CommandsRejected, ["states_sent"] = StatesSent,
        ["messages_dropped"] = MessagesDropped, ["bad_checksum"] = BadChecksum, ["malformed"] = Malformed,
        ["unknown_type"] = UnknownType, ["replayed"] = Replayed,
    };
}
