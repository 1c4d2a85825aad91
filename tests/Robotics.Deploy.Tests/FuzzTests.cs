using Robotics.Core.Images;
using System.Net.Sockets;
using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Deploy.Control;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Tests;

/// <summary>Random and mutated frames at both ends: neither side may crash, and the bridge keeps serving.</summary>
public class FuzzTests
{
    private string _dir = null!;

    [OneTimeSetUp]
    public void Directory() => _dir = TempDirectory.Create("fuzz");

    /// <summary>Valid frames of every robot-bound type, to mutate.</summary>
    private static byte[][] Seeds(uint episode) =>
    [
        Messages.Encode(new HelloMessage("fuzz"), 1, 0),
        Messages.Encode(new ResetMessage(3, CommandMode.EndEffectorDelta), 2, 0),
        Messages.Encode(new CommandMessage(new RobotCommand { Kind = CommandKind.EndEffectorDelta, Episode = episode, BasedOnState = 2, GripperWidth = 0.04 }), 3, 0),
        Messages.Encode(new CommandMessage(new RobotCommand { Kind = CommandKind.JointTargets, Episode = episode, BasedOnState = 2, JointTargets = new float[7] }), 4, 0),
        Messages.Encode(new HeartbeatMessage(), 5, 0),
        Messages.Encode(new StopMessage("fuzz"), 6, 0),
    ];

    /// <summary>One mutation of a valid frame: bit flips, byte changes, truncation, a rewritten length, type or payload (re-sealed with a valid CRC so it reaches the parsers).</summary>
    /// <param name="keepFraming">only mutations that keep the stream framed (resealed with a valid CRC), which reach the message parsers instead of closing the connection</param>
    internal static byte[] Mutate(byte[] frame, Rng rng, bool keepFraming = false)
    {
        var f = (byte[])frame.Clone();
        switch (keepFraming ? 3 + rng.NextInt(4) : rng.NextInt(7))
        {
            case 0:
                for (int i = 0, n = 1 + rng.NextInt(4); i < n; i++) f[rng.NextInt(f.Length)] ^= (byte)(1 << rng.NextInt(8));
                return f;
            case 1:
                return f[..rng.NextInt(f.Length)];
            case 2:
                BitConverter.GetBytes((uint)rng.NextInt(int.MaxValue)).CopyTo(f, 0);
                return f;
            case 3:
                return Reseal(f, b => b[7] = (byte)rng.NextInt(256));
            case 4:
                return Reseal(f, b => { for (int i = 20; i < b.Length; i++) if (rng.NextDouble() < 0.2) b[i] = (byte)rng.NextInt(256); });
            case 5:
                return Reseal(f, b => BitConverter.GetBytes((uint)rng.NextInt(int.MaxValue)).CopyTo(b, 8));
            default:
                var junk = new byte[rng.NextInt(200)];
                for (int i = 0; i < junk.Length; i++) junk[i] = (byte)rng.NextInt(256);
                return FrameCodec.Encode((MessageType)rng.NextInt(12), (uint)rng.NextInt(1000), 0, junk);
        }
    }

    private static byte[] Reseal(byte[] frame, Action<byte[]> edit)
    {
        var body = frame[..^4];
        edit(body);
        return [.. body, .. BitConverter.GetBytes(Crc32.Compute(body))];
    }

    private static byte[] RandomBytes(Rng rng, int max)
    {
        var b = new byte[1 + rng.NextInt(max)];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)rng.NextInt(256);
        return b;
    }

    [Test]
    public void FuzzedConnectionsNeverStopTheBridgeFromServing()
    {
        using var bridge = Loopback.StartBridge();
        var rng = new Rng(1234);
        int frames = 0;
        for (int connection = 0; connection < 40; connection++)
        {
            using var client = new TcpClient { NoDelay = true, SendTimeout = 2000 };
            client.Connect("127.0.0.1", bridge.Port);
            var stream = client.GetStream();
            try
            {
                // Half the connections get past Hello (and a Reset) first, so the fuzz reaches the session's parsers.
                if (connection % 2 == 0)
                {
                    stream.Write(Messages.Encode(new HelloMessage("fuzz"), 1, 0));
                    stream.Write(Messages.Encode(new ResetMessage(connection, CommandMode.EndEffectorDelta), 2, 0));
                }
                var seeds = Seeds((uint)connection);
                for (int i = 0; i < 15; i++, frames++)
                    stream.Write(rng.NextDouble() < 0.25 ? RandomBytes(rng, 300) : Mutate(seeds[rng.NextInt(seeds.Length)], rng));
            }
            catch (IOException) { } // the bridge closed the connection on a framing error: expected
            // Wait for the bridge to finish with this connection, so the next one gets the robot and reaches the session's parsers.
            SpinWait.SpinUntil(() => !bridge.HasController, 2000);
        }
        Assert.That(frames, Is.GreaterThanOrEqualTo(400), "most connections take all 15 frames before a framing error closes them");
        Assert.That(SpinWait.SpinUntil(() => bridge.Statistics.ProtocolViolations + bridge.Statistics.HelloFailures >= 20, 5000));
        Assert.That(bridge.Completion.IsCompleted, Is.False, "the bridge is still serving");
        var stats = bridge.Statistics;
        TestContext.Progress.WriteLine($"bridge fuzz: {frames} frames on 40 connections → {string.Join(", ", stats.ToDictionary().Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.That(stats.BadChecksum + stats.Malformed + stats.UnknownType, Is.GreaterThan(0), "mutations reached the checks past framing");

        // Every fuzzed connection has been taken in and let go; a silent one then holds nothing, and the next controller is served.
        Assert.That(SpinWait.SpinUntil(() => bridge.Statistics.Connections == 40 && !bridge.HasController, 5000));
        using var silent = new TcpClient();
        silent.Connect("127.0.0.1", bridge.Port);
        using var robot = Loopback.Connect(bridge);
        using var expert = new ExpertDeployPolicy("reach");
        var (summary, _) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 1, StopOnSuccess = true }, _dir);
        Assert.That(summary.Success, Is.True, "after the fuzz a controller still solves the task");
    }

    [Test]
    public void FuzzedRobotStreamsNeverCrashTheController()
    {
        var rng = new Rng(99);
        long parsed = 0;
        for (int round = 0; round < 8; round++)
        {
            using var fake = new FakeBridge();
            var accepted = fake.AcceptAsync();
            using var robot = TcpRobot.Connect("127.0.0.1", fake.Port);
            accepted.Wait();
            using var expert = new ExpertDeployPolicy("reach");
            bool keepFraming = round % 4 != 3; // most rounds keep the framing so the stream lasts; every fourth may break it
            var feeder = Task.Run(() =>
            {
                // Valid states at 80 Hz, each followed by a mutated or random frame, for 0.8 s; then the stream ends.
                var until = DateTime.UtcNow.AddSeconds(0.8);
                var local = new Rng(round);
                while (DateTime.UtcNow < until)
                {
                    var state = fake.StateFrame();
                    fake.Write(state);
                    fake.Write(!keepFraming && local.NextDouble() < 0.2 ? RandomBytes(local, 100) : Mutate(state, local, keepFraming));
                    Thread.Sleep(12);
                }
                fake.Close();
            });
            var (summary, _) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 2 }, _dir);
            feeder.Wait();
            var stats = robot.Statistics;
            parsed += stats.FramesAccepted + stats.Malformed + stats.UnknownType + stats.BadChecksum + stats.OutOfOrder + stats.Stale;
            Assert.That(summary.StoppedBy, Is.AnyOf("connection_lost", "watchdog_stop"), "a garbled stream ends in a stop, not a crash");
            Assert.That(fake.Commands.All(c => float.IsFinite(c.EndEffectorDelta.Length()) && double.IsFinite(c.GripperWidth)), "every command that went out was finite");
            Assert.That(fake.Commands.Where(c => c.IsMotion).All(c => c.EndEffectorDelta.Length() <= 0.5 * 0.05 + 1e-6), "and within the speed limit");
        }
        TestContext.Progress.WriteLine($"controller fuzz: {parsed} frames checked over 8 connections");
        Assert.That(parsed, Is.GreaterThan(300));
    }
}
