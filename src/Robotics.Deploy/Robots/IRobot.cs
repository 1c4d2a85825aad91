using Robotics.Deploy.Protocol;

namespace Robotics.Deploy.Robots;

/// <summary>The robot cannot be reached or does not complete the handshake.</summary>
public sealed class RobotLinkException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A state as the controller received it: the robot's sample, its sequence number, and local arrival time (µs).</summary>
public sealed record ReceivedState(RobotState State, uint Sequence, long ReceivedAtMicros);

/// <summary>
/// A robot as the control loop sees it: capabilities declared once, a stream of timestamped states of which the
/// newest is kept, and commands sent with a sequence number. Implementations never block the loop for long: reads
/// return the newest state already received, sends return false instead of waiting on a dead link.
/// </summary>
public interface IRobot : IDisposable
{
    RobotCapabilities Capabilities { get; }
    bool IsConnected { get; }
    /// <summary>Why the link went down, once it has.</summary>
    string? DisconnectReason { get; }
    /// <summary>The newest state accepted (after the sequence and freshness checks), or null before the first.</summary>
    ReceivedState? Latest { get; }
    /// <summary>Upper bound (ms) on how old <paramref name="state"/> is now; null when the robot's clock cannot be related to ours yet.</summary>
    double? AgeUpperBoundMs(ReceivedState state, long nowMicros);
    /// <summary>Starts an episode and returns its first state; throws TimeoutException or IOException when the robot does not answer.</summary>
    ReceivedState StartEpisode(int? seed, CommandMode mode, TimeSpan timeout);
    /// <summary>Sends a command; returns the sequence number it went out with, or null when the link is down.</summary>
    uint? Send(RobotCommand command);
    /// <summary>Asks the robot to stop and hold until the next episode.</summary>
    void Stop(string reason);
    ProtocolStatistics Statistics { get; }
    /// <summary>The last heartbeat round trip (ms).</summary>
    double? RoundTripMs { get; }
}
