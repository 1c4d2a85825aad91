using System.Net.Sockets;
using Robotics.Deploy.Protocol;

namespace Robotics.Deploy.Robots;

/// <summary>How the controller side of the protocol behaves.</summary>
public sealed record TcpRobotOptions
{
    public string ClientName { get; init; } = "robo deploy";
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Heartbeats keep the robot's watchdog fed between commands and give clock samples for the staleness bound.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>States older than this on arrival (upper bound) are discarded as stale, not merely not acted on.</summary>
    public double MaxStateAgeMs { get; init; } = 1000;
    /// <summary>A write that cannot complete within this means the link is dead (a peer that stopped reading).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// <see cref="IRobot"/> over the wire protocol (docs/protocol.md): connects, says Hello, reads the Welcome's
/// capabilities, then keeps a background receiver (states, heartbeat replies, errors) and a heartbeat timer. States
/// are accepted only in sequence order, of the current episode, and younger than <see cref="TcpRobotOptions.MaxStateAgeMs"/>.
/// Nothing the robot sends can throw into the control loop: malformed input is counted, a broken stream ends the link.
/// </summary>
public sealed class TcpRobot : IRobot
{
    private readonly TcpClient _client;
    private readonly MessageChannel _channel;
    private readonly TcpRobotOptions _options;
    private readonly RobotClockBound _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<uint, long> _heartbeatsSent = new();
    private readonly Task _receiver;
    private readonly Thread _heartbeat;
    private volatile ReceivedState? _latest;
    private volatile string? _disconnectReason;
    private long _lastStateTime = long.MinValue;
    private uint _minimumEpisode;

    public RobotCapabilities Capabilities { get; }
    public uint SessionId { get; }
    public ProtocolStatistics Statistics => _channel.Statistics;
    public bool IsConnected => _disconnectReason is null && !_channel.IsBroken;
    public string? DisconnectReason => _disconnectReason ?? (_channel.IsBroken ? "the connection broke" : null);
    public ReceivedState? Latest => _latest;
    public double? RoundTripMs => _clock.LastRoundTripMs;
    /// <summary>The last Error message the robot sent, if any.</summary>
    public string? LastError { get; private set; }

    private TcpRobot(TcpClient client, MessageChannel channel, TcpRobotOptions options, WelcomeMessage welcome)
    {
        (_client, _channel, _options) = (client, channel, options);
        Capabilities = welcome.Capabilities;
        SessionId = welcome.SessionId;
        _receiver = Task.Run(ReceiveLoop);
        _heartbeat = new Thread(HeartbeatLoop) { IsBackground = true, Name = "robot heartbeat" };
        _heartbeat.Start();
    }

    /// <summary>Parses "tcp://host:port".</summary>
    public static (string Host, int Port) ParseAddress(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0)
            throw new ArgumentException($"robot address '{address}' is not of the form tcp://host:port");
        return (uri.Host, uri.Port);
    }

    public static TcpRobot Connect(string address, TcpRobotOptions? options = null)
    {
        var (host, port) = ParseAddress(address);
        return Connect(host, port, options);
    }

    /// <summary>Connects and completes the Hello/Welcome exchange within the connect timeout.</summary>
    public static TcpRobot Connect(string host, int port, TcpRobotOptions? options = null)
    {
        options ??= new TcpRobotOptions();
        var client = new TcpClient { NoDelay = true, SendTimeout = (int)options.SendTimeout.TotalMilliseconds };
        MessageChannel? channel = null;
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout);
            try
            {
                client.ConnectAsync(host, port, timeout.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                throw new RobotLinkException($"cannot connect to the robot at tcp://{host}:{port}: {(e is OperationCanceledException ? "timed out" : e.Message)}", e);
            }
            channel = new MessageChannel(client.GetStream());
            long sent = MonotonicClock.NowMicros;
            if (!channel.Send(new HelloMessage(options.ClientName), sent)) throw new RobotLinkException($"the robot at tcp://{host}:{port} closed the connection");
            Incoming? reply;
            try
            {
                reply = channel.ReceiveAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw new RobotLinkException($"the robot at tcp://{host}:{port} did not answer Hello within {options.ConnectTimeout.TotalSeconds:0.#} s");
            }
            catch (FramingException e)
            {
                throw new RobotLinkException($"the robot at tcp://{host}:{port} does not speak this protocol: {e.Message}");
            }
            switch (reply?.Message)
            {
                case WelcomeMessage welcome:
                    var robot = new TcpRobot(client, channel, options, welcome);
                    robot._clock.AddSample(sent, reply.TimestampMicros, reply.ReceivedAtMicros);
                    return robot;
                case ErrorMessage error:
                    throw new RobotLinkException($"the robot at tcp://{host}:{port} refused the connection: {error.Code}: {error.Text}");
                case null:
                    throw new RobotLinkException($"the robot at tcp://{host}:{port} closed the connection before its Welcome");
                default:
                    throw new RobotLinkException($"the robot at tcp://{host}:{port} answered Hello with {reply.Message.Type}, not Welcome");
            }
        }
        catch
        {
            channel?.Dispose();
            client.Dispose();
            throw;
        }
    }

    public double? AgeUpperBoundMs(ReceivedState state, long nowMicros) => _clock.AgeUpperBoundMs(state.State.TimeMicros, nowMicros);

    public ReceivedState StartEpisode(int? seed, CommandMode mode, TimeSpan timeout)
    {
        if (!Capabilities.Accepts(mode)) throw new ArgumentException($"the robot does not accept {mode} commands (it accepts {Capabilities.Modes})");
        uint previous = _latest?.State.Episode ?? 0;
        // States of earlier episodes still in flight must not pass for the new one.
        Volatile.Write(ref _minimumEpisode, previous + 1);
        if (!_channel.Send(new ResetMessage(seed, mode))) throw new IOException($"the robot link is down: {DisconnectReason}");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_latest is { } s && s.State.Episode > previous) return s;
            if (!IsConnected) throw new IOException($"the robot link went down while starting an episode: {DisconnectReason}");
            Thread.Sleep(2);
        }
        throw new TimeoutException($"the robot did not start an episode within {timeout.TotalSeconds:0.#} s" + (LastError is { } e ? $" (last error: {e})" : ""));
    }

    public uint? Send(RobotCommand command)
    {
        var (frame, sequence) = _channel.Encode(new CommandMessage(command));
        return _channel.Write(frame) ? sequence : null;
    }

    public void Stop(string reason) => _channel.Send(new StopMessage(reason.Length > 200 ? reason[..200] : reason));

    private async Task ReceiveLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var incoming = await _channel.ReceiveAsync(_stop.Token);
                if (incoming is null)
                {
                    _disconnectReason ??= "the robot closed the connection";
                    return;
                }
                Handle(incoming);
            }
        }
        catch (OperationCanceledException) { }
        catch (FramingException e)
        {
            _disconnectReason ??= $"protocol violation from the robot: {e.Message}";
        }
        catch (Exception e)
        {
            // Whatever else goes wrong on the receive path ends the link, never the control loop.
            _disconnectReason ??= $"receiving failed: {e.Message}";
        }
        finally
        {
            try { _client.Client.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }

    private void Handle(Incoming incoming)
    {
        switch (incoming.Message)
        {
            case StateMessage { State: var state }:
                if (state.Episode < Volatile.Read(ref _minimumEpisode) || state.TimeMicros <= _lastStateTime)
                {
                    _channel.Statistics.CountStale();
                    return;
                }
                if (!state.IsWellFormed(out _) || state.Joints != Capabilities.Joints)
                {
                    _channel.Statistics.CountMalformed();
                    return;
                }
                if (_clock.AgeUpperBoundMs(state.TimeMicros, incoming.ReceivedAtMicros) is double age && age > _options.MaxStateAgeMs)
                {
                    _channel.Statistics.CountStale();
                    return;
                }
                _lastStateTime = state.TimeMicros;
                _latest = new ReceivedState(state, incoming.Sequence, incoming.ReceivedAtMicros);
                break;
            case HeartbeatAckMessage ack:
                long sent;
                lock (_heartbeatsSent)
                {
                    if (!_heartbeatsSent.Remove(ack.EchoSequence, out sent) || sent != ack.EchoTimestampMicros)
                    {
                        _channel.Statistics.CountMalformed(); // an echo of nothing we sent
                        return;
                    }
                }
                _clock.AddSample(sent, incoming.TimestampMicros, incoming.ReceivedAtMicros);
                break;
            case ErrorMessage error:
                LastError = $"{error.Code}: {error.Text}";
                break;
            default:
                // Controller-bound traffic is State, HeartbeatAck and Error; anything else is out of place.
                _channel.Statistics.CountMalformed();
                break;
        }
    }

    private void HeartbeatLoop()
    {
        while (!_stop.IsCancellationRequested && !_channel.IsBroken)
        {
            long now = MonotonicClock.NowMicros;
            var (frame, sequence) = _channel.Encode(new HeartbeatMessage(), now);
            lock (_heartbeatsSent)
            {
                // Unanswered heartbeats are forgotten after a while (dropped by the link, or never answered).
                if (_heartbeatsSent.Count > 256) _heartbeatsSent.Clear();
                _heartbeatsSent[sequence] = now;
            }
            if (!_channel.Write(frame)) break;
            _stop.Token.WaitHandle.WaitOne(_options.HeartbeatInterval);
        }
    }

    public void Dispose()
    {
        _disconnectReason ??= "closed by the controller";
        _stop.Cancel();
        _channel.Dispose();
        _client.Dispose();
        try { _receiver.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _heartbeat.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }
}
