using System.Net;
using System.Net.Sockets;
using Robotics.Core.Seeding;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Bridge;

/// <summary>
/// A simulated robot bridge: serves the wire protocol over TCP for a <see cref="SimulatedFranka"/>, with the
/// configured latency, jitter, loss and sensor noise, for testing the whole deployment chain. One controller holds
/// the robot at a time (others are told Busy); connections come and go over the bridge's life, and nothing a
/// connection sends can stop the bridge: framing errors close that connection, malformed messages are counted and
/// skipped. A physics thread steps the simulation in real time, one env step per control tick, while an episode
/// is running and its controller is connected.
/// </summary>
public sealed class SimBridge : IDisposable
{
    private readonly BridgeOptions _options;
    private readonly SimulatedFranka _sim;
    private readonly Lock _simLock = new();
    private readonly Rng _linkRng;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpListener? _listener;
    private Thread? _physics;
    private Task? _acceptor;
    private BridgeSession? _active;
    private int _nextSession, _sessionsEnded;

    public BridgeStatistics Statistics { get; } = new();
    public int Port { get; private set; }
    public RobotCapabilities Capabilities => _sim.Capabilities;
    /// <summary>Whether a controller holds the robot now.</summary>
    public bool HasController
    {
        get { lock (_simLock) return _active is not null; }
    }
    /// <summary>Completes when the bridge stops (Stop, Dispose, or MaxSessions reached).</summary>
    public Task Completion => _completion.Task;

    public SimBridge(BridgeOptions options)
    {
        options.Validate();
        _options = options;
        _sim = new SimulatedFranka(options.Task, options.CommandMaxAgeMs, options.WatchdogMs, options.ObservationNoise, options.Seed);
        _linkRng = new Rng(options.Seed).Spawn();
    }

    /// <summary>Listens and starts the physics thread; <see cref="Port"/> is the bound port afterwards.</summary>
    public SimBridge Start()
    {
        var address = IPAddress.TryParse(_options.Host, out var ip) ? ip
            : Dns.GetHostAddresses(_options.Host).FirstOrDefault() ?? throw new ArgumentException($"cannot resolve host '{_options.Host}'");
        _listener = new TcpListener(address, _options.Port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new RobotLinkException($"cannot listen on {_options.Host}:{_options.Port}: {e.Message}", e);
        }
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _physics = new Thread(PhysicsLoop) { IsBackground = true, Name = "bridge physics" };
        _physics.Start();
        _acceptor = Task.Run(AcceptLoop);
        return this;
    }

    /// <summary>Closes the current controller's connection, as a cable pull or a bridge crash would (for fault tests).</summary>
    public void DropActiveConnection()
    {
        lock (_simLock) _active?.Close();
    }

    public void Stop()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _listener?.Stop(); } catch (SocketException) { }
        DropActiveConnection();
        if (_physics is not null && Thread.CurrentThread != _physics) _physics.Join(TimeSpan.FromSeconds(5));
        _completion.TrySetResult();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            Statistics.Connection();
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        client.NoDelay = true;
        client.SendTimeout = 1000;
        var channel = new MessageChannel(client.GetStream());
        BridgeSession? session = null;
        try
        {
            if (!await Greet(channel)) return;
            lock (_simLock)
            {
                if (_active is not null)
                {
                    Statistics.Busy();
                    channel.Send(new ErrorMessage(ErrorCode.Busy, "another controller holds this robot"));
                    return;
                }
                session = new BridgeSession((uint)Interlocked.Increment(ref _nextSession), channel, _options.Link, _linkRng, Statistics);
                _active = session;
                Statistics.Session();
            }
            session.SendDirect(new WelcomeMessage(session.Id, _sim.Capabilities));
            while (!_stop.IsCancellationRequested)
            {
                var incoming = await channel.ReceiveAsync(_stop.Token);
                if (incoming is null) break;
                session.Heard(incoming.ReceivedAtMicros);
                switch (incoming.Message)
                {
                    case ResetMessage reset:
                        Reset(session, reset);
                        break;
                    case StopMessage:
                        lock (_simLock) if (_active == session) _sim.Stop();
                        break;
                    case CommandMessage or HeartbeatMessage:
                        session.Receive(incoming);
                        break;
                    default:
                        channel.Statistics.CountMalformed(); // robot-bound traffic is Reset, Command, Heartbeat, Stop
                        break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (FramingException e)
        {
            Statistics.Violation();
            channel.Send(new ErrorMessage(e.Status == FrameStatus.UnsupportedVersion ? ErrorCode.UnsupportedVersion : ErrorCode.ProtocolViolation, e.Message));
        }
        catch (Exception)
        {
            // A connection's failure is that connection's; the bridge serves on.
            Statistics.Violation();
        }
        finally
        {
            bool ended = false;
            lock (_simLock)
            {
                if (session is not null && _active == session)
                {
                    _active = null;
                    ended = true;
                }
            }
            Statistics.Absorb(channel.Statistics);
            session?.Dispose();
            channel.Dispose();
            client.Dispose();
            if (ended && _options.MaxSessions > 0 && Interlocked.Increment(ref _sessionsEnded) >= _options.MaxSessions) Stop();
        }
    }

    /// <summary>The first message must be a Hello, within the Hello timeout; otherwise the connection gets an Error and closes.</summary>
    private async Task<bool> Greet(MessageChannel channel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.HelloTimeout);
        Incoming? first;
        try
        {
            first = await channel.ReceiveAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            Statistics.HelloFailure();
            channel.Send(new ErrorMessage(ErrorCode.HelloExpected, $"no Hello within {_options.HelloTimeout.TotalSeconds:0.#} s"));
            return false;
        }
        if (first?.Message is HelloMessage) return true;
        if (first is not null)
        {
            Statistics.HelloFailure();
            channel.Send(new ErrorMessage(ErrorCode.HelloExpected, $"the first message must be Hello, not {first.Message.Type}"));
        }
        return false;
    }

    private void Reset(BridgeSession session, ResetMessage reset)
    {
        lock (_simLock)
        {
            if (_active != session || _stop.IsCancellationRequested) return;
            if (!_sim.Capabilities.Accepts(reset.Mode))
            {
                session.SendDirect(new ErrorMessage(ErrorCode.UnsupportedMode, $"this robot does not accept {reset.Mode} commands"));
                return;
            }
            long now = MonotonicClock.NowMicros;
            try
            {
                _sim.Reset(reset.Seed, reset.Mode);
            }
            catch (Exception e)
            {
                Statistics.Fault();
                session.SendDirect(new ErrorMessage(ErrorCode.RobotFault, $"reset failed: {e.Message}"));
                session.Close();
                return;
            }
            session.BeginEpisode(now);
            session.Publish(_sim.ReadState(now, 0, holding: false));
        }
    }

    private void PhysicsLoop()
    {
        long tick = (long)Math.Round(_sim.ControlTimestep * 1e6);
        long next = MonotonicClock.NowMicros;
        while (!_stop.IsCancellationRequested)
        {
            long now = MonotonicClock.NowMicros;
            if (now < next)
            {
                Thread.Sleep((int)Math.Max(1, (next - now) / 1000));
                continue;
            }
            // A busy machine can fall behind; skip the missed ticks instead of stepping in a burst.
            next = now - next > 10 * tick ? now + tick : next + tick;
            lock (_simLock)
            {
                var session = _active;
                if (session is null) continue;
                // Checked before anything else, so a controller that said Hello and went quiet cannot keep the robot.
                if ((now - session.LastHeard) / 1e6 > _options.SessionTimeout.TotalSeconds)
                {
                    Statistics.Timeout();
                    session.SendDirect(new ErrorMessage(ErrorCode.Timeout, $"nothing heard for {_options.SessionTimeout.TotalSeconds:0.#} s"));
                    session.Close();
                    continue;
                }
                if (!session.EpisodeStarted || !_sim.Started) continue;
                try
                {
                    var command = session.TakeCommand(now, _sim.Episode, _sim.Mode, _sim.Capabilities.Joints, _options.CommandMaxAgeMs);
                    if (command?.Kind == CommandKind.Stop) _sim.Stop();
                    bool expired = (now - session.LastCommandAt) / 1000.0 > _options.WatchdogMs;
                    _sim.Tick(command, expired);
                    session.Publish(_sim.ReadState(MonotonicClock.NowMicros, session.LastApplied, expired));
                }
                catch (Exception e)
                {
                    Statistics.Fault();
                    session.SendDirect(new ErrorMessage(ErrorCode.RobotFault, $"simulation failed: {e.Message}"));
                    session.Close();
                }
            }
        }
    }

    public void Dispose()
    {
        Stop();
        try { _acceptor?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        lock (_simLock) _sim.Dispose();
    }
}
