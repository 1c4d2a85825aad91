using System.Numerics;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Control;
using Robotics.Deploy.Robots;
using Robotics.Envs.Franka;

namespace Robotics.Deploy.Tests;

/// <summary>An in-process bridge on an ephemeral loopback port, and a controller connected to it.</summary>
internal static class Loopback
{
    public static SimBridge StartBridge(string task = "reach", LinkImpairments? link = null, double noise = 0, int seed = 0,
                                        int commandMaxAgeMs = 250, int watchdogMs = 250) =>
        new SimBridge(new BridgeOptions
        {
            Task = task, Port = 0, Link = link ?? new LinkImpairments(), ObservationNoise = noise, Seed = seed,
            CommandMaxAgeMs = commandMaxAgeMs, WatchdogMs = watchdogMs,
        }).Start();

    public static TcpRobot Connect(SimBridge bridge) => TcpRobot.Connect("127.0.0.1", bridge.Port);

    /// <summary>Runs a control loop to its end with a log in <paramref name="directory"/>; returns the summary and the parsed log lines.</summary>
    public static (DeploySummary Summary, DeployLogLines Log) Deploy(IRobot robot, IDeployPolicy policy, DeployOptions options, string directory,
                                                                     Action<ControlLoop>? started = null)
    {
        var path = Path.Combine(directory, $"deploy-{Guid.NewGuid():N}.jsonl");
        DeploySummary summary;
        using (var log = new DeployLog(path))
        {
            var loop = new ControlLoop(robot, policy, options, log);
            started?.Invoke(loop);
            summary = loop.Run();
        }
        return (summary, DeployLogLines.Read(path));
    }
}

/// <summary>The deploy log's lines as JSON documents, by type.</summary>
internal sealed class DeployLogLines(List<System.Text.Json.JsonElement> lines)
{
    public static DeployLogLines Read(string path) =>
        new(File.ReadAllLines(path).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList());

    public IEnumerable<System.Text.Json.JsonElement> OfType(string type) => lines.Where(l => l.GetProperty("type").GetString() == type);
    public List<System.Text.Json.JsonElement> Steps => OfType("step").ToList();

    public static string[] Interventions(System.Text.Json.JsonElement step) =>
        step.GetProperty("interventions").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string Command(System.Text.Json.JsonElement step) => step.GetProperty("command").GetProperty("kind").GetString()!;

    public static Vector3? Vec(System.Text.Json.JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? new Vector3(v[0].GetSingle(), v[1].GetSingle(), v[2].GetSingle()) : null;
}

/// <summary>A policy the test scripts: the action for each state comes from a function of the state and the call count.</summary>
internal sealed class ScriptedPolicy(string task, CommandMode mode, Func<RobotState, int, float[]> act, PerceptionItems perception = PerceptionItems.None)
    : IDeployPolicy
{
    private int _calls;

    public int Calls => _calls;
    public string Description => "scripted test policy";
    public PolicyRequirements Requirements { get; } = new(task,
        ActionScaling.ForControl(mode == CommandMode.EndEffectorDelta ? ControlMode.EndEffector : ControlMode.JointDelta), perception);
    public double? TrainedRateHz => null;
    public void Reset() { }

    public void Act(RobotState state, Span<float> action)
    {
        var a = act(state, Interlocked.Increment(ref _calls) - 1);
        a.CopyTo(action);
    }

    public void Dispose() { }
}

internal static class TempDirectory
{
    public static string Create(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "robotics-deploy-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
