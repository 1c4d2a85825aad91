using Robotics.Core.Seeding;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Bridge;

/// <summary>
/// The bridge's side of one controller connection: the simulated link in both directions, the newest command
/// waiting for the next control tick, and what command validity is judged by (the last applied sequence number, and
/// when each recent state was made, so a command's age is measured on the bridge's own clock).
/// </summary>
internal sealed class BridgeSession : IDisposable
{
    private const int StateHistory = 1024;

    private readonly BridgeStatistics _stats;
    private readonly DelayLine<byte[]> _outbound;
    private readonly DelayLine<Incoming> _inbound;
    private readonly (uint Sequence, long MadeAt)[] _states = new (uint, long)[StateHistory];
    private readonly Lock _lock = new();
    private Incoming? _arrived;
    private long _lastHeard;
    private uint _lastAppliedSequence;

    public uint Id { get; }
    public MessageChannel Channel { get; }
    public bool EpisodeStarted { get; private set; }
    /// <summary>Sequence number of the last command applied this episode (0 = none), reported in every state.</summary>
    public uint LastApplied { get; private set; }
    public long LastCommandAt { get; private set; }
    public long LastHeard => Interlocked.Read(ref _lastHeard);

    public BridgeSession(uint id, MessageChannel channel, LinkImpairments link, Rng linkRng, BridgeStatistics stats)
    {
        (Id, Channel, _stats) = (id, channel, stats);
        _outbound = new DelayLine<byte[]>(link, linkRng, frame => channel.Write(frame), $"bridge {id} out", stats.Dropped);
        _inbound = new DelayLine<Incoming>(link, linkRng, Arrive, $"bridge {id} in", stats.Dropped);
        Heard(MonotonicClock.NowMicros);
    }

    public void Heard(long now) => Interlocked.Exchange(ref _lastHeard, now);

    /// <summary>A Reset was applied: commands of earlier episodes no longer count, and the watchdog starts over.</summary>
    public void BeginEpisode(long now)
    {
        lock (_lock) _arrived = null;
        EpisodeStarted = true;
        LastApplied = 0;
        LastCommandAt = now;
    }

    /// <summary>Commands and heartbeats travel the inbound path before they take effect.</summary>
    public void Receive(Incoming message) => _inbound.Post(message);

    /// <summary>Sends a state through the outbound path, numbered and stamped now, and remembers when it was made.</summary>
    public void Publish(RobotState state)
    {
        var (frame, sequence) = Channel.Encode(new StateMessage(state), state.TimeMicros);
        lock (_lock) _states[sequence % StateHistory] = (sequence, state.TimeMicros);
        _stats.StateSent();
        _outbound.Post(frame);
    }

    /// <summary>Sends a message at once, bypassing the simulated link (handshake and errors are not impaired).</summary>
    public void SendDirect(IMessage message) => Channel.Send(message);

    /// <summary>
    /// The newest command that arrived since the last tick, if it is still valid: newer than the last applied one,
    /// computed from a state made within <paramref name="maxAgeMs"/> during this episode (else stale), for this
    /// episode and mode, finite and shaped for <paramref name="joints"/> joints (else rejected). Each refusal is counted.
    /// </summary>
    public RobotCommand? TakeCommand(long now, uint episode, CommandMode mode, int joints, int maxAgeMs)
    {
        Incoming? incoming;
        lock (_lock)
        {
            incoming = _arrived;
            _arrived = null;
        }
        if (incoming?.Message is not CommandMessage { Command: var command }) return null;
        if (incoming.Sequence <= _lastAppliedSequence)
        {
            _stats.OutOfOrder();
            return null;
        }
        long? madeAt = null;
        lock (_lock)
        {
            var (sequence, time) = _states[command.BasedOnState % StateHistory];
            if (sequence == command.BasedOnState && sequence != 0) madeAt = time;
        }
        // A command of an earlier episode (in flight across a Reset) is as outdated as one computed from an old state.
        if (madeAt is not long made || (now - made) / 1000.0 > maxAgeMs || command.Episode < episode)
        {
            _stats.Stale();
            return null;
        }
        if (!IsValid(command, episode, mode, joints))
        {
            _stats.Rejected();
            return null;
        }
        _lastAppliedSequence = incoming.Sequence;
        LastApplied = incoming.Sequence;
        LastCommandAt = now;
        _stats.Applied();
        return command;
    }

    private static bool IsValid(RobotCommand c, uint episode, CommandMode mode, int joints)
    {
        if (c.Episode != episode) return false;
        return c.Kind switch
        {
            CommandKind.Hold or CommandKind.Stop => true,
            CommandKind.EndEffectorDelta => mode == CommandMode.EndEffectorDelta && float.IsFinite(c.EndEffectorDelta.X)
                                            && float.IsFinite(c.EndEffectorDelta.Y) && float.IsFinite(c.EndEffectorDelta.Z) && double.IsFinite(c.GripperWidth),
            CommandKind.JointTargets => mode == CommandMode.JointTargets && c.JointTargets.Length == joints
                                        && c.JointTargets.All(float.IsFinite) && double.IsFinite(c.GripperWidth),
            _ => false,
        };
    }

    private void Arrive(Incoming message)
    {
        switch (message.Message)
        {
            case HeartbeatMessage:
                // Stamped when the heartbeat takes effect here, so the controller's clock bound sees both path delays.
                var (frame, _) = Channel.Encode(new HeartbeatAckMessage(message.Sequence, message.TimestampMicros));
                _outbound.Post(frame);
                break;
            case CommandMessage:
                lock (_lock)
                {
                    if (_arrived is { } waiting && waiting.Sequence > message.Sequence)
                    {
                        _stats.OutOfOrder(); // overtaken on the path by a newer command
                        return;
                    }
                    if (_arrived is not null) _stats.Superseded();
                    _arrived = message;
                }
                break;
        }
    }

    /// <summary>Closes the connection; the serving task notices and cleans up.</summary>
    public void Close() => Channel.Dispose();

    public void Dispose()
    {
        _inbound.Dispose();
        _outbound.Dispose();
        Channel.Dispose();
    }
}
