using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Control;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;
using Robotics.Deploy.Safety;

namespace Robotics.Deploy.Tests;

/// <summary>The issue's fault list: in each, nothing unsafe is commanded, and every intervention is counted.</summary>
public class FaultTests
{
    private string _dir = null!;

    [OneTimeSetUp]
    public void Directory() => _dir = TempDirectory.Create("faults");

    private static float[] TowardGoal(RobotState s)
    {
        var d = (s.Perception.Goal - s.EndEffectorPosition) * 25;
        return [Math.Clamp(d.X, -1, 1), Math.Clamp(d.Y, -1, 1), Math.Clamp(d.Z, -1, 1), -1];
    }

    private static bool IsFinite(RobotCommand c) =>
        float.IsFinite(c.EndEffectorDelta.X) && float.IsFinite(c.EndEffectorDelta.Y) && float.IsFinite(c.EndEffectorDelta.Z)
        && c.JointTargets.All(float.IsFinite) && double.IsFinite(c.GripperWidth);

    [Test]
    public void BridgeDisconnectingMidEpisodeStopsTheRunAndTheBridgeServesTheNextController()
    {
        using var bridge = Loopback.StartBridge();
        DeploySummary summary;
        DeployLogLines log;
        using (var robot = Loopback.Connect(bridge))
        using (var expert = new ExpertDeployPolicy("reach"))
            (summary, log) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 4, Seed = 2 }, _dir,
                started: _ => Task.Delay(800).ContinueWith(_ => bridge.DropActiveConnection()));
        Assert.That(summary.StoppedBy, Is.EqualTo("connection_lost"));
        Assert.That(summary.Steps, Is.InRange(8, 40), "the run ends within a step or two of the disconnect");
        var last = log.Steps[^1];
        Assert.That(DeployLogLines.Interventions(last), Does.Contain("connection_lost"));
        Assert.That(last.TryGetProperty("sent", out var sent) && !sent.GetBoolean(), "nothing can be sent on a dead link");
        Assert.That(summary.Interventions["connection_lost"], Is.EqualTo(1));

        // The bridge lives on: a new controller connects and completes an episode.
        using var again = Loopback.Connect(bridge);
        using var expert2 = new ExpertDeployPolicy("reach");
        var (second, _) = Loopback.Deploy(again, expert2, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 2, StopOnSuccess = true }, _dir);
        Assert.That(second.Success, Is.True);
        Assert.That(bridge.Statistics.Sessions, Is.EqualTo(2));
    }

    [Test]
    public void BridgeDiscardsReplayedOutOfOrderStaleMalformedAndInvalidCommands()
    {
        using var bridge = Loopback.StartBridge();
        using (var client = new TcpClient())
        {
            client.Connect("127.0.0.1", bridge.Port);
            var stream = client.GetStream();
            var channel = new MessageChannel(stream);
            uint seq = 0;
            byte[] Frame(IMessage m) => Messages.Encode(m, ++seq, MonotonicClock.NowMicros);
            void Write(byte[] f) => stream.Write(f);
            Incoming Next(Func<Incoming, bool> until)
            {
                using var timeout = new CancellationTokenSource(3000);
                while (true)
                {
                    var m = channel.ReceiveAsync(timeout.Token).GetAwaiter().GetResult()!;
                    if (until(m)) return m;
                }
            }
            RobotState NextState(Func<RobotState, bool> until) => ((StateMessage)Next(m => m.Message is StateMessage s && until(s.State)).Message).State;
            // States queue up in the socket while the test is not reading; a command must be based on a fresh one.
            Incoming Fresh() => Next(m => m.Message is StateMessage s && s.State.TimeMicros > MonotonicClock.NowMicros - 20_000);

            Write(Frame(new HelloMessage("fault test")));
            Assert.That(Next(_ => true).Message, Is.TypeOf<WelcomeMessage>());
            Write(Frame(new ResetMessage(1, CommandMode.EndEffectorDelta)));
            var first = Next(m => m.Message is StateMessage { State.Episode: 1 });
            var start = ((StateMessage)first.Message).State.CommandedEndEffectorPosition;
            RobotCommand Move(float dx, uint basedOn) => new()
            {
                Kind = CommandKind.EndEffectorDelta, Episode = 1, BasedOnState = basedOn, EndEffectorDelta = new Vector3(dx, 0, 0), GripperWidth = 0.08,
            };

            var good = Frame(new CommandMessage(Move(0.01f, first.Sequence)));
            Write(good);
            uint goodSeq = seq;
            var moved = NextState(s => s.LastAppliedCommand == goodSeq);
            Assert.That(moved.CommandedEndEffectorPosition.X - start.X, Is.EqualTo(0.01f).Within(1e-6f));

            Write(good);                                                        // replayed
            var recent = Fresh();
            var newer = Messages.Encode(new CommandMessage(Move(0.005f, recent.Sequence)), seq + 10, MonotonicClock.NowMicros);
            var older = Messages.Encode(new CommandMessage(Move(-0.01f, recent.Sequence)), seq + 5, MonotonicClock.NowMicros);
            seq += 10;
            Write(newer);                                                       // applied
            Write(older);                                                       // out of order
            NextState(s => s.LastAppliedCommand == seq);
            Thread.Sleep(300);
            Write(Frame(new CommandMessage(Move(-0.01f, first.Sequence))));      // stale: its state is > 250 ms old
            Thread.Sleep(50);
            var payload = new PayloadWriter().U8((byte)CommandKind.EndEffectorDelta).U32(1).ToArray();
            Write(FrameCodec.Encode(MessageType.Command, ++seq, 0, payload));  // malformed: a payload cut short
            var corrupt = Frame(new CommandMessage(Move(-0.01f, recent.Sequence)));
            corrupt[30] ^= 0x40;
            Write(corrupt);                                                     // bad checksum
            var current = Fresh();
            Write(Frame(new CommandMessage(Move(float.NaN, current.Sequence)))); // non-finite: rejected
            Thread.Sleep(50);
            Write(Frame(new CommandMessage(Move(-0.01f, current.Sequence) with { Episode = 7 }))); // another episode: rejected
            Thread.Sleep(100);
            var end = NextState(_ => true);
            Assert.That(end.CommandedEndEffectorPosition.X - start.X, Is.EqualTo(0.015f).Within(1e-6f), "only the two valid commands moved the target");
            Write(good[..9]);                                                   // truncated, then the connection ends
        }
        Assert.That(SpinWait.SpinUntil(() => bridge.Statistics.ProtocolViolations == 1 && bridge.Statistics.Replayed == 2, 3000),
                    "a frame cut off by the connection's end is a violation");
        var stats = bridge.Statistics;
        Assert.That(stats.CommandsApplied, Is.EqualTo(2));
        Assert.That(stats.Replayed, Is.EqualTo(2), "the replayed and the overtaken frame, dropped on arrival by sequence number");
        Assert.That(stats.CommandsStale, Is.EqualTo(1));
        Assert.That(stats.Malformed, Is.EqualTo(1));
        Assert.That(stats.BadChecksum, Is.EqualTo(1));
        Assert.That(stats.CommandsRejected, Is.EqualTo(2));

        using var robot = Loopback.Connect(bridge);
        Assert.That(robot.Capabilities.Task, Is.EqualTo("reach"), "the bridge serves the next connection");
    }

    [Test]
    public void ControllerDiscardsReplayedOutOfOrderCorruptMalformedAndTruncatedStates()
    {
        using var fake = new FakeBridge();
        var accepted = fake.AcceptAsync();
        using var robot = TcpRobot.Connect("127.0.0.1", fake.Port);
        accepted.Wait();
        void Settle(Func<bool> until) => Assert.That(SpinWait.SpinUntil(until, 2000));

        var s1 = fake.StateFrame();
        fake.Write(s1);
        Settle(() => robot.Latest?.Sequence == 2);
        fake.Write(s1);                                                          // replayed
        var s3 = fake.StateFrame();                                              // seq 3, sent after seq 4
        var s4 = fake.StateFrame();
        fake.Write(s4);
        fake.Write(s3);                                                          // out of order
        var corrupt = fake.StateFrame();
        corrupt[40] ^= 1;
        fake.Write(corrupt);                                                     // bad checksum
        fake.Write(FrameCodec.Encode(MessageType.State, fake.Next(), MonotonicClock.NowMicros, [1, 2, 3])); // malformed
        fake.Write(FrameCodec.Encode((MessageType)99, fake.Next(), 0, []));      // unknown type
        fake.Write(fake.StateFrame(edit: s => s with { JointPositions = [.. s.JointPositions[..6], float.NaN] })); // non-finite
        fake.Write(fake.StateFrame(edit: s => s with { TimeMicros = 1 }));      // sampled before the newest one: stale
        var last = fake.StateFrame();
        fake.Write(last);
        uint lastSequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(last.AsSpan(8));
        Settle(() => robot.Latest?.Sequence == lastSequence);
        var stats = robot.Statistics;
        Assert.That(stats.OutOfOrder, Is.EqualTo(2));
        Assert.That(stats.BadChecksum, Is.EqualTo(1));
        Assert.That(stats.Malformed, Is.EqualTo(2), "the short payload and the NaN state");
        Assert.That(stats.UnknownType, Is.EqualTo(1));
        Assert.That(stats.Stale, Is.EqualTo(1));
        Assert.That(robot.IsConnected);

        fake.Write(last[..(last.Length / 2)]);
        fake.Close();
        Settle(() => !robot.IsConnected);
        Assert.That(robot.DisconnectReason, Does.Contain("inside a frame").Or.Contain("closed"));
    }

    [Test]
    public void LatencyBeyondTheWatchdogDeadlineOnlyEverHolds()
    {
        using var bridge = Loopback.StartBridge(link: new LinkImpairments(LatencyMs: 300));
        using var robot = Loopback.Connect(bridge);
        using var expert = new ExpertDeployPolicy("reach");
        var (summary, log) = Loopback.Deploy(robot, expert, new DeployOptions
        {
            RateHz = 20, DurationSeconds = 3, Seed = 4, Watchdog = new WatchdogOptions { StateDeadlineMs = 200, StopAfterMs = 1000 },
        }, _dir);
        Assert.That(summary.StoppedBy, Is.EqualTo("watchdog_stop"));
        var steps = log.Steps;
        Assert.That(steps.Select(DeployLogLines.Command).Distinct(), Is.SubsetOf(new[] { "hold", "stop" }), "no motion on states older than the deadline");
        Assert.That(steps.Where(s => DeployLogLines.Command(s) == "hold").All(s => DeployLogLines.Interventions(s).Contains("stale_state")));
        Assert.That(summary.Interventions["stale_state"], Is.EqualTo(steps.Count - 1));
        Assert.That(steps.Min(s => s.TryGetProperty("state_age_ms", out var a) ? a.GetDouble() : double.MaxValue), Is.GreaterThan(200));
        var first = steps.First(s => s.TryGetProperty("ee", out _));
        var target = DeployLogLines.Vec(first, "ee_commanded")!.Value;
        Thread.Sleep(400); // let the last holds and the stop travel the 300 ms path
        var now = robot.Latest!.State;
        Assert.That(now.CommandedEndEffectorPosition, Is.EqualTo(target), "the arm's target never moved");
        Assert.That(Vector3.Distance(now.EndEffectorPosition, target), Is.LessThan(0.005f), "so the arm stayed where it was (less servo settling)");
    }

    [Test]
    public void NonFiniteActionsAreReplacedByHoldsEveryTime()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var policy = new ScriptedPolicy("reach", CommandMode.EndEffectorDelta,
            (s, call) => call % 4 == 1 ? [float.NaN, 0, 0, -1] : call % 4 == 3 ? [0, float.PositiveInfinity, 0, -1] : TowardGoal(s), PerceptionItems.Goal);
        var (summary, log) = Loopback.Deploy(robot, policy, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 5 }, _dir);
        var steps = log.Steps.Where(s => s.TryGetProperty("action", out _)).ToList();
        var nonFinite = steps.Where(s => s.GetProperty("action").EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String)).ToList();
        Assert.That(nonFinite, Has.Count.GreaterThan(25));
        Assert.That(nonFinite.All(s => DeployLogLines.Command(s) == "hold" && DeployLogLines.Interventions(s).Contains("non_finite_action")), "100% replaced");
        Assert.That(summary.Interventions["non_finite_action"], Is.EqualTo(nonFinite.Count), "100% counted");
        Assert.That(bridge.Statistics.CommandsRejected, Is.Zero, "no non-finite number reached the robot");
        float Distance(JsonElement step) => Vector3.Distance(DeployLogLines.Vec(step, "ee")!.Value, DeployLogLines.Vec(step, "goal")!.Value);
        Assert.That(Distance(steps[^1]), Is.LessThan(Distance(steps[0]) - 0.15f), "the finite half of the actions still make progress");
    }

    [Test]
    public void CommandsLeavingTheWorkspaceOrTooFastAreAllClippedAndCounted()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        // Around the hand's start (0, 0.4, 0.2), so only the rogue policy can take the target out of the box.
        var low = new Vector3(-0.1f, 0.3f, 0.1f);
        var high = new Vector3(0.1f, 0.45f, 0.3f);
        using var rogue = new ScriptedPolicy("reach", CommandMode.EndEffectorDelta, (_, _) => [5f, 5f, 5f, 0]);
        var limits = new SafetyLimits { MaxEndEffectorSpeed = 0.1, WorkspaceLow = low, WorkspaceHigh = high };
        var (summary, log) = Loopback.Deploy(robot, rogue, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 6, Limits = limits }, _dir);
        var motion = log.Steps.Where(s => DeployLogLines.Command(s) == "ee_delta").ToList();
        Assert.That(motion, Has.Count.GreaterThan(50));
        Assert.That(motion.All(s => DeployLogLines.Interventions(s).Contains("action_clipped")), "every action outside [-1, 1] is clipped");
        Assert.That(motion.All(s => DeployLogLines.Interventions(s).Contains("end_effector_speed")), "every command faster than 0.1 m/s is slowed");
        float maxStep = (float)(0.1 * 0.05) + 1e-6f;
        Assert.That(motion.Select(s => DeployLogLines.Vec(s.GetProperty("command"), "ee_delta")!.Value.Length()), Has.All.LessThanOrEqualTo(maxStep));
        // Every command whose speed-limited motion would carry the robot's target out of the box was clamped.
        int wouldLeave = 0;
        foreach (var s in motion)
        {
            var target = DeployLogLines.Vec(s, "ee_commanded")!.Value + Vector3.Normalize(Vector3.One) * maxStep;
            bool outside = Vector3.Clamp(target, low, high) != target;
            if (!outside) continue;
            wouldLeave++;
            Assert.That(DeployLogLines.Interventions(s), Does.Contain("workspace"), $"step {s.GetProperty("step")}");
        }
        Assert.That(wouldLeave, Is.GreaterThan(20), "the rogue policy pins the target in the box's corner");
        foreach (var s in log.Steps.Where(s => s.TryGetProperty("ee_commanded", out _)))
        {
            var commanded = DeployLogLines.Vec(s, "ee_commanded")!.Value;
            Assert.That(Vector3.Distance(Vector3.Clamp(commanded, low, high), commanded), Is.LessThan(1e-5f), "the robot's target never left the box");
        }
        int logged = log.OfType("intervention").Count();
        Assert.That(summary.InterventionTotal, Is.EqualTo(logged));
        Assert.That(summary.Interventions["workspace"], Is.EqualTo(log.OfType("intervention").Count(i => i.GetProperty("kind").GetString() == "workspace")));
        Assert.That(bridge.Statistics.CommandsRejected, Is.Zero);
    }

    [Test]
    public void JointCommandsBeyondVelocityAndPositionLimitsAreAllLimitedAndCounted()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var rogue = new ScriptedPolicy("reach", CommandMode.JointTargets, (_, call) => call < 40 ? [5, -5, 5, 5, 5, 5, 5, 1] : [-5, 5, -5, -5, -5, -5, -5, 1]);
        var limits = new SafetyLimits { JointVelocityFraction = 0.2 };
        var (summary, log) = Loopback.Deploy(robot, rogue, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 6, Limits = limits }, _dir);
        var caps = bridge.Capabilities;
        var motion = log.Steps.Where(s => DeployLogLines.Command(s) == "joint_targets").ToList();
        Assert.That(motion, Has.Count.GreaterThan(50));
        Assert.That(motion.All(s => DeployLogLines.Interventions(s).Contains("action_clipped")));
        foreach (var s in motion)
        {
            var targets = s.GetProperty("command").GetProperty("joint_targets").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var q = s.GetProperty("q").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            for (int i = 0; i < 7; i++)
            {
                Assert.That(targets[i], Is.InRange(caps.JointLower[i] + 0.05f - 1e-5f, caps.JointUpper[i] - 0.05f + 1e-5f), $"joint {i + 1}");
                Assert.That(Math.Abs(targets[i] - q[i]), Is.LessThanOrEqualTo(caps.JointVelocityLimits[i] * 0.2 * 0.05 + 1e-5));
            }
            // The clipped action asks 0.05 rad a step (1 rad/s), above every joint's 0.2 × limit, unless a limit stops the joint first.
            Assert.That(DeployLogLines.Interventions(s).Intersect(new[] { "joint_velocity_limit", "joint_position_limit" }), Is.Not.Empty, $"step {s.GetProperty("step")}");
        }
        Assert.That(summary.Interventions["joint_velocity_limit"], Is.GreaterThan(40));
        Assert.That(bridge.Statistics.CommandsRejected, Is.Zero);
    }

    [Test]
    public void SlowAndHungPoliciesAreHeldThenStopped()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var policy = new ScriptedPolicy("reach", CommandMode.EndEffectorDelta, (s, call) =>
        {
            if (call is 5 or 6) Thread.Sleep(150);  // late twice: held, then it recovers
            if (call == 14) Thread.Sleep(5000);     // hung: the watchdog stops the run after 1 s
            return TowardGoal(s);
        }, PerceptionItems.Goal);
        var (summary, log) = Loopback.Deploy(robot, policy, new DeployOptions { RateHz = 20, DurationSeconds = 4, Seed = 8 }, _dir);
        Assert.That(summary.StoppedBy, Is.EqualTo("watchdog_stop"));
        Assert.That(summary.Interventions["policy_timeout"], Is.GreaterThanOrEqualTo(15));
        var held = log.Steps.Where(s => DeployLogLines.Interventions(s).Contains("policy_timeout")).ToList();
        Assert.That(held.All(s => DeployLogLines.Command(s) == "hold"));
        Assert.That(log.Steps.Count(s => DeployLogLines.Command(s) == "ee_delta"), Is.GreaterThanOrEqualTo(8), "it moved between the stalls");
    }

    [Test]
    public void OperatorStopLatchesTheRobot()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var expert = new ExpertDeployPolicy("reach");
        var (summary, log) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 5, Seed = 9 }, _dir,
            started: loop => Task.Delay(600).ContinueWith(_ => loop.RequestStop("e-stop pressed")));
        Assert.That(summary.StoppedBy, Is.EqualTo("operator_stop"));
        Assert.That(summary.StopReason, Is.EqualTo("e-stop pressed"));
        Assert.That(DeployLogLines.Command(log.Steps[^1]), Is.EqualTo("stop"));
        Assert.That(SpinWait.SpinUntil(() => (robot.Latest?.State.Status & RobotStatus.Stopped) != 0, 2000), "the robot reports its latched stop");
    }
}
