using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Protocol;

/// <summary>A protocol message: its type and how its payload is written. Decoding is <see cref="Messages.Decode"/>.</summary>
public interface IMessage
{
    MessageType Type { get; }
    void Write(PayloadWriter w);
}

public sealed record HelloMessage(string ClientName) : IMessage
{
    public MessageType Type => MessageType.Hello;
    public void Write(PayloadWriter w) => w.Text(ClientName);
}

public sealed record WelcomeMessage(uint SessionId, RobotCapabilities Capabilities) : IMessage
{
    public MessageType Type => MessageType.Welcome;

    public void Write(PayloadWriter w)
    {
        var c = Capabilities;
        w.U32(SessionId).Text(c.RobotName).Text(c.Task).U8((byte)c.Joints)
         .Floats(c.JointLower).Floats(c.JointUpper).Floats(c.JointVelocityLimits)
         .Vec3(c.WorkspaceLow).Vec3(c.WorkspaceHigh).U8((byte)c.Modes).U8((byte)c.Perception)
         .F32((float)c.StateRateHz).F32((float)c.MaxCommandRateHz).F64(c.MaxEndEffectorStep).F64(c.GripperMaxWidth)
         .U16((ushort)c.CommandMaxAgeMs).U16((ushort)c.WatchdogMs);
    }

    public static WelcomeMessage Read(PayloadReader r)
    {
        uint session = r.U32();
        string name = r.Text(), task = r.Text();
        int n = r.JointCount();
        var capabilities = new RobotCapabilities
        {
            RobotName = name, Task = task,
            JointLower = r.Floats(n), JointUpper = r.Floats(n), JointVelocityLimits = r.Floats(n),
            WorkspaceLow = r.Vec3(), WorkspaceHigh = r.Vec3(),
            Modes = (CommandModes)r.U8(), Perception = (PerceptionItems)r.U8(),
            StateRateHz = r.F32(), MaxCommandRateHz = r.F32(), MaxEndEffectorStep = r.F64(), GripperMaxWidth = r.F64(),
            CommandMaxAgeMs = r.U16(), WatchdogMs = r.U16(),
        };
        return new WelcomeMessage(session, capabilities);
    }
}

/// <summary>Starts an episode. A null seed lets the robot choose (a real cell ignores seeds; the simulator randomises with it).</summary>
public sealed record ResetMessage(int? Seed, CommandMode Mode) : IMessage
{
    public MessageType Type => MessageType.Reset;
    public void Write(PayloadWriter w) => w.U8(Seed.HasValue ? (byte)1 : (byte)0).I32(Seed ?? 0).U8((byte)Mode);

    public static ResetMessage Read(PayloadReader r)
    {
        bool hasSeed = r.U8() != 0;
        int seed = r.I32();
        return new ResetMessage(hasSeed ? seed : null, r.Enum<CommandMode>(r.U8(), "command mode"));
    }
}

/// <summary>A robot state; its sample time travels in the frame header.</summary>
public sealed record StateMessage(RobotState State) : IMessage
{
    public MessageType Type => MessageType.State;

    public void Write(PayloadWriter w)
    {
        var s = State;
        var p = s.Perception;
        w.U32(s.Episode).U16((ushort)s.Status).U32(s.LastAppliedCommand).U8((byte)s.Joints)
         .Floats(s.JointPositions).Floats(s.JointVelocities)
         .Vec3(s.EndEffectorPosition).Quat(s.EndEffectorOrientation).Vec3(s.CommandedEndEffectorPosition)
         .F64(s.GripperWidth).Floats(s.Jacobian)
         .U8((byte)p.Available).Vec3(p.Object).Quat(p.ObjectOrientation).Vec3(p.Object2).Quat(p.Object2Orientation)
         .Vec3(p.Goal).F32(p.Articulation);
    }

    public static StateMessage Read(PayloadReader r, long timeMicros)
    {
        uint episode = r.U32();
        var status = (RobotStatus)r.U16();
        uint lastApplied = r.U32();
        int n = r.JointCount();
        var q = r.Floats(n);
        var dq = r.Floats(n);
        var ee = r.Vec3();
        var orientation = r.Quat();
        var commanded = r.Vec3();
        double gripper = r.F64();
        var jacobian = r.Floats(3 * n);
        var available = (PerceptionItems)r.U8();
        var perception = new Perception(available, r.Vec3(), r.Quat(), r.Vec3(), r.Quat(), r.Vec3(), r.F32());
        return new StateMessage(new RobotState
        {
            TimeMicros = timeMicros, Episode = episode, Status = status, LastAppliedCommand = lastApplied,
            JointPositions = q, JointVelocities = dq, EndEffectorPosition = ee, EndEffectorOrientation = orientation,
            CommandedEndEffectorPosition = commanded, GripperWidth = gripper, Jacobian = jacobian, Perception = perception,
        });
    }
}

public sealed record CommandMessage(RobotCommand Command) : IMessage
{
    public MessageType Type => MessageType.Command;

    public void Write(PayloadWriter w)
    {
        var c = Command;
        w.U8((byte)c.Kind).U32(c.Episode).U32(c.BasedOnState).Vec3(c.EndEffectorDelta)
         .U8((byte)c.JointTargets.Length).Floats(c.JointTargets).F64(c.GripperWidth);
    }

    public static CommandMessage Read(PayloadReader r)
    {
        var kind = r.Enum<CommandKind>(r.U8(), "command kind");
        uint episode = r.U32(), basedOn = r.U32();
        var delta = r.Vec3();
        int n = r.U8();
        if (n > 16) throw new MalformedMessageException($"{n} joint targets is more than any arm has");
        if (kind == CommandKind.JointTargets && n == 0) throw new MalformedMessageException("a joint-target command without targets");
        var targets = r.Floats(n);
        double gripper = r.F64();
        return new CommandMessage(new RobotCommand
        {
            Kind = kind, Episode = episode, BasedOnState = basedOn, EndEffectorDelta = delta, JointTargets = targets, GripperWidth = gripper,
        });
    }
}

/// <summary>Liveness and a clock sample; the payload is empty (the header carries sequence and time).</summary>
public sealed record HeartbeatMessage : IMessage
{
    public MessageType Type => MessageType.Heartbeat;
    public void Write(PayloadWriter w) { }
}

/// <summary>The reply to a heartbeat: the heartbeat's sequence and timestamp, in a frame stamped with the robot's clock.</summary>
public sealed record HeartbeatAckMessage(uint EchoSequence, long EchoTimestampMicros) : IMessage
{
    public MessageType Type => MessageType.HeartbeatAck;
    public void Write(PayloadWriter w) => w.U32(EchoSequence).I64(EchoTimestampMicros);
    public static HeartbeatAckMessage Read(PayloadReader r) => new(r.U32(), r.I64());
}

public sealed record StopMessage(string Reason) : IMessage
{
    public MessageType Type => MessageType.Stop;
    public void Write(PayloadWriter w) => w.Text(Reason);
}

public sealed record ErrorMessage(ErrorCode Code, string Text) : IMessage
{
    public MessageType Type => MessageType.Error;
    public void Write(PayloadWriter w) => w.U16((ushort)Code).Text(Text);
}

/// <summary>Turns checked frames into messages and messages into frames.</summary>
public static class Messages
{
    public static byte[] Encode(IMessage message, uint sequence, long timestampMicros)
    {
        var w = new PayloadWriter();
        message.Write(w);
        return FrameCodec.Encode(message.Type, sequence, timestampMicros, w.ToArray());
    }

    /// <summary>
    /// The frame's message, or null for a type this version does not define (skipped, so a newer peer's optional
    /// messages do not break an older one). A payload that does not parse throws <see cref="MalformedMessageException"/>.
    /// </summary>
    public static IMessage? Decode(Frame frame)
    {
        var r = new PayloadReader(frame.Payload);
        return frame.Type switch
        {
            MessageType.Hello => new HelloMessage(r.Text()),
            MessageType.Welcome => WelcomeMessage.Read(r),
            MessageType.Reset => ResetMessage.Read(r),
            MessageType.State => StateMessage.Read(r, frame.TimestampMicros),
            MessageType.Command => CommandMessage.Read(r),
            MessageType.Heartbeat => new HeartbeatMessage(),
            MessageType.HeartbeatAck => HeartbeatAckMessage.Read(r),
            MessageType.Stop => new StopMessage(r.Text()),
            MessageType.Error => new ErrorMessage((ErrorCode)r.U16(), r.Text()),
            _ => null,
        };
    }
}
