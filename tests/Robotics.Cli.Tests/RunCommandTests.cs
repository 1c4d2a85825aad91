using System.Text.Json;
using NUnit.Framework;

namespace Robotics.Cli.Tests;

public class RunCommandTests
{
    [Test]
    public void DemoExperimentWritesARunDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("run").FullName;
        var yaml = Path.Combine(dir, "demo.yaml");
        File.WriteAllText(yaml, "name: t\ntask: reach\npolicy: expert\nepisodes: 2\nseed: 5\nvideo: true\n");
        var runDir = Path.Combine(dir, "out");
        var r = Robo.Run("run", yaml, "--out", runDir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var summary = JsonDocument.Parse(r.LastLine);
        Assert.That(summary.RootElement.GetProperty("episodes").GetInt32(), Is.EqualTo(2));
        Assert.That(summary.RootElement.GetProperty("success_rate").GetDouble(), Is.EqualTo(1.0));
        Assert.That(new FileInfo(Path.Combine(runDir, "episode-0.mp4")).Length, Is.GreaterThan(1000));
        Assert.That(File.Exists(Path.Combine(runDir, "experiment.yaml")), Is.True);
    }

    [Test]
    public void UnknownKeyIsNamedWithItsLine()
    {
        var yaml = Path.Combine(Directory.CreateTempSubdirectory("run").FullName, "bad.yaml");
        File.WriteAllText(yaml, "name: x\ntask: reach\nbogus_key: 3\n");
        var r = Robo.Run("run", yaml);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("line 3"));
        Assert.That(r.Stderr, Does.Contain("bogus_key"));
    }
}
