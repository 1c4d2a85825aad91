namespace Robotics.Deploy.Protocol;

/// <summary>The message types of protocol version 1 (docs/protocol.md lists each payload).</summary>
public enum MessageType : byte
{
    /// <summary>Controller → bridge, first frame of a connection: who is asking.</summary>
    Hello = 1,
    /// <summary>Bridge → controller, the answer to Hello: the robot's capabilities.</summary>
    Welcome = 2,
    /// <summary>Controller → bridge: start an episode (seed, command mode); the arm holds until commands arrive.</summary>
    Reset = 3,
    /// <summary>Bridge → controller, at the state rate: the timestamped robot state.</summary>
    State = 4,
    /// <summary>Controller → bridge, once per control period: hold, an end-effector delta or joint targets, and the gripper.</summary>
    Command = 5,
    /// <summary>Controller → bridge, every heartbeat period: liveness and a clock sample.</summary>
    Heartbeat = 6,
    /// <summary>Bridge → controller: echoes a heartbeat's sequence and timestamp, stamped with the robot's clock.</summary>
    HeartbeatAck = 7,
    /// <summary>Controller → bridge: stop and hold until the next Reset (operator stop, watchdog stop, end of run).</summary>
    Stop = 8,
    /// <summary>Either way: a refusal or fault, with a code and a sentence.</summary>
    Error = 9,
}

/// <summary>Error codes carried by <see cref="MessageType.Error"/>.</summary>
public enum ErrorCode : ushort
{
    /// <summary>The frame's version byte is not one this side speaks.</summary>
    UnsupportedVersion = 1,
    /// <summary>The first frame of a connection was not a Hello.</summary>
    HelloExpected = 2,
    /// <summary>Another controller holds the robot.</summary>
    Busy = 3,
    /// <summary>The stream could not be framed (bad length or magic); the connection closes.</summary>
    ProtocolViolation = 4,
    /// <summary>A Reset asked for a command mode the robot does not accept.</summary>
    UnsupportedMode = 5,
    /// <summary>No valid message arrived within the session timeout; the connection closes.</summary>
    Timeout = 6,
    /// <summary>The robot side failed (for the simulator: physics or model errors).</summary>
    RobotFault = 7,
}
