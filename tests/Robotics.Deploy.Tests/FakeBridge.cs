using System.Net;
using System.Net.Sockets;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Tests;

/// <summary>
/// A scripted robot side for fault injection toward the controller: it answers Hello with a real Franka's
/// capabilities, waits for Reset, then hands the raw stream to the test, which writes whatever frames it likes
/// (valid states from a simulated arm, replays, corruptions). Commands the controller sends are decoded and kept.
/// </summary>
internal sealed class FakeBridge : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SimulatedFranka _arm = new("reach", 250, 250);
    private readonly List<RobotCommand> _commands = new();
    private TcpClient? _client;
    private uint _sequence;

    public int Port { get; }
    public NetworkStream Stream => _client!.GetStream();
    public IReadOnlyList<RobotCommand> Commands { get { lock (_commands) return _commands.ToList(); } }
    public int ResetsSeen { get; private set; }

    public FakeBridge()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _arm.Reset(1, CommandMode.EndEffectorDelta);
    }

    /// <summary>Accepts the controller and answers its Hello; then collects its messages in the background.</summary>
    public Task AcceptAsync() => Task.Run(async () =>
    {
        _client = await _listener.AcceptTcpClientAsync();
        var reader = new FrameReader(_client.GetStream());
        var (status, hello) = await reader.ReadAsync(CancellationToken.None);
        if (status != FrameStatus.Ok || hello!.Type != MessageType.Hello) throw new InvalidOperationException("expected Hello");
        Write(Messages.Encode(new WelcomeMessage(1, _arm.Capabilities), Next(), MonotonicClock.NowMicros));
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var (s, frame) = await reader.ReadAsync(CancellationToken.None);
                    if (s != FrameStatus.Ok) return;
                    switch (Messages.Decode(frame!))
                    {
                        case CommandMessage c: lock (_commands) _commands.Add(c.Command); break;
                        case ResetMessage: ResetsSeen++; break;
                    }
                }
            }
            catch (Exception) { }
        });
    });

    public uint Next() => ++_sequence;

    /// <summary>A valid state frame of the simulated arm, stamped now, with the next sequence number.</summary>
    public byte[] StateFrame(uint episode = 1, Func<RobotState, RobotState>? edit = null)
    {
        var state = _arm.ReadState(MonotonicClock.NowMicros, 0, false) with { Episode = episode };
        if (edit is not null) state = edit(state);
        return Messages.Encode(new StateMessage(state), Next(), state.TimeMicros);
    }

    public void Write(byte[] bytes)
    {
        try
        {
            _client!.GetStream().Write(bytes);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException) { } // the controller hung up
    }

    public void Close() => _client?.Close();

    public void Dispose()
    {
        _client?.Dispose();
        _listener.Stop();
        _arm.Dispose();
    }
}
