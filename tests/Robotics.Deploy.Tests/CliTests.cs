using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Robotics.Deploy.Tests;

/// <summary>`robo bridge sim`, `robo export` and `robo deploy` as separate processes, as a user runs them.</summary>
public class CliTests
{
    private static ProcessStartInfo Robo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "robo.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var p = Process.Start(Robo(args))!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); Assert.Fail($"robo {string.Join(' ', args)} did not finish"); }
        return (p.ExitCode, stdout, stderr.Result);
    }

    private static JsonElement LastLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    [Test]
    public void BridgeProcessServesDeployProcessesThenExitsWithItsSummary()
    {
        var dir = TempDirectory.Create("cli");
        var bundle = Path.Combine(dir, "reach.robo");
        var export = Run("export", ReachBc.Checkpoint, "--out", bundle);
        Assert.That(export.Code, Is.Zero, export.Stderr);
        var exported = LastLine(export.Stdout);
        Assert.That(exported.GetProperty("algorithm").GetString(), Is.EqualTo("bc"));
        Assert.That(exported.GetProperty("required_perception")[0].GetString(), Is.EqualTo("goal"));

        using var bridge = Process.Start(Robo("bridge", "sim", "--task", "reach", "--port", "0", "--max-sessions", "3", "--latency-ms", "5", "--seed", "2"))!;
        try
        {
            var stdout = bridge.StandardOutput.ReadToEndAsync();
            string? banner = bridge.StandardError.ReadLine();
            var port = Regex.Match(banner ?? "", @"tcp://127\.0\.0\.1:(\d+)");
            Assert.That(port.Success, $"the bridge names its address on stderr, got: {banner}");
            var address = $"tcp://127.0.0.1:{port.Groups[1].Value}";

            var expert = Run("deploy", "--policy", "expert", "--task", "reach", "--robot", address, "--rate", "20", "--duration", "4",
                             "--seed", "5", "--until-success", "--log", Path.Combine(dir, "expert.jsonl"));
            Assert.That(expert.Code, Is.Zero, expert.Stderr);
            var summary = LastLine(expert.Stdout);
            int expertSteps = summary.GetProperty("steps").GetInt32();
            Assert.That(summary.GetProperty("success").GetBoolean(), Is.True, expert.Stdout);
            Assert.That(expertSteps, Is.InRange(5, 80));
            Assert.That(summary.GetProperty("interventions").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(File.ReadLines(Path.Combine(dir, "expert.jsonl")).Last(), Does.Contain("\"type\":\"summary\""));
            Assert.That(expert.Stderr, Does.Contain("ep 1/1 step"), "the live status line");

            var trained = Run("deploy", bundle, "--robot", address, "--rate", "20", "--duration", "5", "--seed", "1000000", "--until-success",
                              "--log", Path.Combine(dir, "bc.jsonl"));
            Assert.That(trained.Code, Is.Zero, trained.Stderr);
            Assert.That(LastLine(trained.Stdout).GetProperty("success").GetBoolean(), Is.True, trained.Stdout);

            // A push bundle on a reach cell is refused before anything moves (the third and last session).
            var pushBundle = Path.Combine(dir, "push.robo");
            Assert.That(Run("export", BundleTests.BcCheckpoint(dir, "push"), "--out", pushBundle).Code, Is.Zero);
            var refused = Run("deploy", pushBundle, "--robot", address, "--rate", "20", "--duration", "1");
            Assert.That(refused.Code, Is.EqualTo(1));
            Assert.That(refused.Stderr, Does.Contain("robo: error: the policy does not fit this robot").And.Contain("perception of object"));

            Assert.That(bridge.WaitForExit(TimeSpan.FromSeconds(20)), "the bridge exits after --max-sessions");
            var served = LastLine(stdout.Result);
            Assert.That(served.GetProperty("statistics").GetProperty("sessions").GetInt32(), Is.EqualTo(3));
            // Both moving sessions' commands were applied (the refused third sent none).
            Assert.That(served.GetProperty("statistics").GetProperty("commands_applied").GetInt32(), Is.GreaterThan(expertSteps));
        }
        finally
        {
            if (!bridge.HasExited) bridge.Kill(true);
        }
    }

    [Test]
    public void UnreachableRobotIsAUserError()
    {
        var result = Run("deploy", "--policy", "expert", "--task", "reach", "--robot", "tcp://127.0.0.1:1", "--duration", "1");
        Assert.That(result.Code, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("robo: error: cannot connect to the robot at tcp://127.0.0.1:1"));
    }
}
