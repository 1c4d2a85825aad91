using Robotics.Core.Images;
using System.Buffers.Binary;
using System.Numerics;
using NUnit.Framework;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Tests;

public class ProtocolTests
{
    internal static RobotState SampleState(uint episode = 3) => new()
    {
        TimeMicros = 123_456_789, Episode = episode, Status = RobotStatus.SuccessKnown | RobotStatus.Holding, LastAppliedCommand = 41,
        JointPositions = [0.1f, -0.785f, 0.2f, -2.356f, 0.3f, 1.571f, 0.785f],
        JointVelocities = [0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.06f, 0.07f],
        EndEffectorPosition = new Vector3(0.01f, 0.5f, 0.2f),
        EndEffectorOrientation = Quaternion.Normalize(new Quaternion(0.1f, 0.9f, 0.2f, 0.3f)),
        CommandedEndEffectorPosition = new Vector3(0.02f, 0.51f, 0.19f),
        GripperWidth = 0.0312345678901,
        Jacobian = Enumerable.Range(0, 21).Select(i => i * 0.01f - 0.1f).ToArray(),
        Perception = new Perception(PerceptionItems.Object | PerceptionItems.Goal, new Vector3(0.1f, 0.6f, 0.02f),
            new Quaternion(0, 0, 0.38268343f, 0.9238795f), default, default, new Vector3(-0.05f, 0.65f, 0.02f), 0),
    };

    private static IMessage RoundTrip(IMessage message, uint sequence = 7, long time = 1000)
    {
        var frame = Messages.Encode(message, sequence, time);
        Assert.That(FrameCodec.Check(frame, out var decoded), Is.EqualTo(FrameStatus.Ok));
        Assert.That(decoded!.Sequence, Is.EqualTo(sequence));
        Assert.That(decoded.TimestampMicros, Is.EqualTo(time));
        Assert.That(decoded.Type, Is.EqualTo(message.Type));
        return Messages.Decode(decoded)!;
    }

    [Test]
    public void StateSurvivesTheWireExactly()
    {
        var state = SampleState();
        var back = ((StateMessage)RoundTrip(new StateMessage(state), time: state.TimeMicros)).State;
        Assert.That(Messages.Encode(new StateMessage(state), 1, 0), Has.Length.EqualTo(20 + 272 + 4), "docs/protocol.md: 272-byte payload for 7 joints");
        Assert.That(back.TimeMicros, Is.EqualTo(state.TimeMicros));
        Assert.That(back.Episode, Is.EqualTo(3));
        Assert.That(back.Status, Is.EqualTo(state.Status));
        Assert.That(back.TaskSuccess, Is.False);
        Assert.That(back.LastAppliedCommand, Is.EqualTo(41));
        Assert.That(back.JointPositions, Is.EqualTo(state.JointPositions));
        Assert.That(back.JointVelocities, Is.EqualTo(state.JointVelocities));
        Assert.That(back.Jacobian, Is.EqualTo(state.Jacobian));
        Assert.That(back.EndEffectorPosition, Is.EqualTo(state.EndEffectorPosition));
        Assert.That(back.EndEffectorOrientation, Is.EqualTo(state.EndEffectorOrientation));
        Assert.That(back.CommandedEndEffectorPosition, Is.EqualTo(state.CommandedEndEffectorPosition));
        Assert.That(back.GripperWidth, Is.EqualTo(state.GripperWidth), "the gripper width travels as f64, so observations match training bit for bit");
        Assert.That(back.Perception, Is.EqualTo(state.Perception));
    }

    [Test]
    public void EveryOtherMessageRoundTrips()
    {
        var caps = new RobotCapabilities
        {
            RobotName = "franka ü", Task = "push", JointLower = [-1, -2], JointUpper = [1, 2], JointVelocityLimits = [2.175f, 2.61f],
            WorkspaceLow = new Vector3(-0.5f, 0.25f, 0), WorkspaceHigh = new Vector3(0.5f, 0.85f, 0.5f),
            Modes = CommandModes.EndEffectorDelta, Perception = PerceptionItems.Object | PerceptionItems.Goal,
            StateRateHz = 80, MaxCommandRateHz = 80, MaxEndEffectorStep = 0.01, GripperMaxWidth = 0.08, CommandMaxAgeMs = 250, WatchdogMs = 300,
        };
        var welcome = (WelcomeMessage)RoundTrip(new WelcomeMessage(9, caps));
        Assert.That(welcome.SessionId, Is.EqualTo(9));
        Assert.That(welcome.Capabilities with { JointLower = caps.JointLower, JointUpper = caps.JointUpper, JointVelocityLimits = caps.JointVelocityLimits },
                    Is.EqualTo(caps));
        Assert.That(welcome.Capabilities.JointUpper, Is.EqualTo(caps.JointUpper));
        Assert.That(welcome.Capabilities.JointVelocityLimits, Is.EqualTo(caps.JointVelocityLimits));
        Assert.That(((HelloMessage)RoundTrip(new HelloMessage("robo deploy"))).ClientName, Is.EqualTo("robo deploy"));
        Assert.That(RoundTrip(new ResetMessage(42, CommandMode.JointTargets)), Is.EqualTo(new ResetMessage(42, CommandMode.JointTargets)));
        Assert.That(RoundTrip(new ResetMessage(null, CommandMode.EndEffectorDelta)), Is.EqualTo(new ResetMessage(null, CommandMode.EndEffectorDelta)));
        var command = new RobotCommand
        {
            Kind = CommandKind.JointTargets, Episode = 2, BasedOnState = 99, JointTargets = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f], GripperWidth = 0.04,
        };
        var back = ((CommandMessage)RoundTrip(new CommandMessage(command))).Command;
        Assert.That(back with { JointTargets = command.JointTargets }, Is.EqualTo(command));
        Assert.That(back.JointTargets, Is.EqualTo(command.JointTargets));
        Assert.That(RoundTrip(new HeartbeatAckMessage(5, -77)), Is.EqualTo(new HeartbeatAckMessage(5, -77)));
        Assert.That(RoundTrip(new StopMessage("operator")), Is.EqualTo(new StopMessage("operator")));
        Assert.That(RoundTrip(new ErrorMessage(ErrorCode.Busy, "busy")), Is.EqualTo(new ErrorMessage(ErrorCode.Busy, "busy")));
        Assert.That(RoundTrip(new HeartbeatMessage()), Is.TypeOf<HeartbeatMessage>());
    }

    [Test]
    public void FrameLayoutIsAsDocumented()
    {
        var frame = Messages.Encode(new StopMessage("x"), 0x01020304, 0x1122334455667788);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame), Is.EqualTo(frame.Length - 4));
        Assert.That(frame[4..6], Is.EqualTo("RB"u8.ToArray()));
        Assert.That(frame[6], Is.EqualTo(1));
        Assert.That(frame[7], Is.EqualTo((byte)MessageType.Stop));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8)), Is.EqualTo(0x01020304));
        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(12)), Is.EqualTo(0x1122334455667788));
        Assert.That(frame[20..23], Is.EqualTo(new byte[] { 1, 0, (byte)'x' }), "payload: u16 length + UTF-8");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(frame.Length - 4)), Is.EqualTo(Crc32.Compute(frame.AsSpan(0, frame.Length - 4))));
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u), "the standard CRC-32 check value (zlib.crc32)");
    }

    [Test]
    public void EveryFlippedBitIsCaught()
    {
        var frame = Messages.Encode(new StateMessage(SampleState()), 12, 34);
        int caught = 0, total = 0;
        for (int i = 0; i < frame.Length; i++)
            for (int bit = 0; bit < 8; bit++)
            {
                var bad = (byte[])frame.Clone();
                bad[i] ^= (byte)(1 << bit);
                var status = FrameCodec.Check(bad, out var decoded);
                total++;
                if (status != FrameStatus.Ok) caught++;
                Assert.That(decoded, status == FrameStatus.Ok ? Is.Not.Null : Is.Null);
            }
        Assert.That(caught, Is.EqualTo(total), "a single flipped bit anywhere in the frame, length and CRC included, must be detected");
    }

    [Test]
    public void TruncatedOversizedAndForeignFramesAreClassified()
    {
        var frame = Messages.Encode(new HelloMessage("a"), 1, 2);
        Assert.That(FrameCodec.Check(frame.AsSpan(0, frame.Length - 1), out _), Is.EqualTo(FrameStatus.Truncated));
        Assert.That(FrameCodec.Check(frame.AsSpan(0, 3), out _), Is.EqualTo(FrameStatus.Truncated));
        var huge = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge, FrameCodec.MaxLength + 1);
        Assert.That(FrameCodec.Check(huge, out _), Is.EqualTo(FrameStatus.BadLength));
        BinaryPrimitives.WriteUInt32LittleEndian(huge, 3);
        Assert.That(FrameCodec.Check(huge, out _), Is.EqualTo(FrameStatus.BadLength));
        Assert.That(FrameCodec.Check("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8, out _), Is.Not.EqualTo(FrameStatus.Ok));
        var foreign = (byte[])frame.Clone();
        foreign[4] = (byte)'X';
        Assert.That(FrameCodec.Check(foreign, out _), Is.EqualTo(FrameStatus.BadMagic));
        // A well-formed frame of version 2 (its CRC is right) is another protocol version, not corruption.
        var v2 = frame[..^4];
        v2[6] = 2;
        var resealed = v2.Concat(BitConverter.GetBytes(Crc32.Compute(v2))).ToArray();
        Assert.That(FrameCodec.Check(resealed, out _), Is.EqualTo(FrameStatus.UnsupportedVersion));
    }

    [Test]
    public void UnknownTypesAreSkippedAndShortPayloadsAreMalformed()
    {
        var unknown = FrameCodec.Encode((MessageType)200, 1, 0, [1, 2, 3]);
        Assert.That(FrameCodec.Check(unknown, out var frame), Is.EqualTo(FrameStatus.Ok));
        Assert.That(Messages.Decode(frame!), Is.Null, "a newer peer's message type is skipped, not fatal");
        var full = Messages.Encode(new StateMessage(SampleState()), 1, 0);
        Assert.That(FrameCodec.Check(full, out var state), Is.EqualTo(FrameStatus.Ok));
        var shortened = FrameCodec.Encode(MessageType.State, 2, 0, state!.Payload[..^5]);
        FrameCodec.Check(shortened, out var cut);
        Assert.Throws<MalformedMessageException>(() => Messages.Decode(cut!));
        var longer = FrameCodec.Encode(MessageType.State, 3, 0, [.. state.Payload, 9, 9, 9]);
        FrameCodec.Check(longer, out var extended);
        Assert.That(Messages.Decode(extended!), Is.TypeOf<StateMessage>(), "appended fields of a later minor revision are ignored");
        var badKind = FrameCodec.Encode(MessageType.Command, 4, 0, [77, .. new byte[40]]);
        FrameCodec.Check(badKind, out var kind);
        Assert.Throws<MalformedMessageException>(() => Messages.Decode(kind!));
    }

    [Test]
    public void SequenceFilterDropsReplaysAndLateFramesButAllowsGaps()
    {
        var filter = new SequenceFilter();
        var accepted = new uint[] { 1, 2, 2, 5, 3, 4, 6, 6, 10, 9 }.Where(filter.Accept).ToArray();
        Assert.That(accepted, Is.EqualTo(new uint[] { 1, 2, 5, 6, 10 }));
    }

    [Test]
    public void ClockBoundNeverUnderestimatesAgeWhateverTheLatencySplit()
    {
        // The robot clock runs 5 s behind ours; try symmetric and one-sided delays.
        const long offset = 5_000_000;
        foreach (var (toRobot, fromRobot) in new[] { (10_000L, 10_000L), (0L, 40_000L), (40_000L, 0L), (300_000L, 300_000L) })
        {
            var bound = new RobotClockBound();
            long t0 = 1_000_000;
            long robotStamp = t0 + toRobot - offset;
            bound.AddSample(t0, robotStamp, t0 + toRobot + fromRobot);
            // A state made at local time m arrives fromRobot later; its true age then is fromRobot.
            long made = 2_000_000, arrived = made + fromRobot;
            double? age = bound.AgeUpperBoundMs(made - offset, arrived);
            Assert.That(age, Is.GreaterThanOrEqualTo(fromRobot / 1000.0 - 1e-9), $"delays {toRobot}/{fromRobot} µs");
            Assert.That(age, Is.LessThanOrEqualTo((fromRobot + toRobot + fromRobot) / 1000.0 + 1e-9), "overestimates by at most one round trip");
        }
    }
}
