using System.Text.Json;
using NUnit.Framework;
using Robotics.Core.Images;

namespace Robotics.Cli.Tests;

public class FoundationCommandTests
{
    [Test]
    public void SimPrintsTheFinalQposExactlyAndReproducibly()
    {
        var a = Robo.Run("sim", Robo.Humanoid, "--steps", "200");
        Assert.That(a.ExitCode, Is.Zero, a.Stderr);
        var qpos = JsonSerializer.Deserialize<double[]>(a.LastLine)!;
        Assert.That(qpos, Has.Length.EqualTo(28)); // the humanoid's nq
        // 17 significant digits: every number round-trips to the same double.
        foreach (var token in a.LastLine.Trim('[', ']').Split(','))
            Assert.That(double.Parse(token, System.Globalization.CultureInfo.InvariantCulture).ToString("G17", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(token));
        var b = Robo.Run("sim", Robo.Humanoid, "--steps", "200");
        Assert.That(b.LastLine, Is.EqualTo(a.LastLine));
        var c = Robo.Run("sim", Robo.Humanoid, "--steps", "0");
        Assert.That(c.LastLine, Is.Not.EqualTo(a.LastLine));
    }

    [Test]
    public void BenchPhysicsReportsStepsPerSecond()
    {
        var r = Robo.Run("bench", "physics", Robo.Humanoid, "--steps", "2000", "--repeats", "1", "--compare-testspeed");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        Assert.That(json.RootElement.GetProperty("steps_per_sec").GetDouble(), Is.GreaterThan(1000));
        Assert.That(json.RootElement.GetProperty("testspeed_steps_per_sec").GetDouble(), Is.GreaterThan(1000));
    }

    [Test]
    public void RenderWritesAFrameThatShowsTheScene()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("render").FullName, "frame.png");
        var r = Robo.Run("render", Robo.Humanoid, "--out", path, "--width", "160", "--height", "120", "--camera", "side");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var image = Png.Read(path);
        Assert.That((image.Width, image.Height), Is.EqualTo((160, 120)));
        Assert.That(image.DistinctColours(), Is.GreaterThan(50));
    }

    [TestCase("sim", "/no/such/model.xml", "not found")]
    [TestCase("render", Robo.Humanoid, "no camera named 'nope'")]
    public void BadInputExitsWithOneClearLine(string command, string model, string expected)
    {
        var args = command == "render"
            ? new[] { command, model, "--out", Path.Combine(Path.GetTempPath(), "x.png"), "--camera", "nope" }
            : new[] { command, model };
        var r = Robo.Run(args);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain(expected));
        Assert.That(r.Stderr, Does.Not.Contain("   at "), "a user error must not print a stack trace");
    }

    [Test]
    public void MalformedModelNamesTheLine()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("bad").FullName, "bad.xml");
        File.WriteAllText(path, "<mujoco>\n  <worldbody>\n    <geom type=\"sphere\" size=\"0.1\"/>\n    <bogus/>\n  </worldbody>\n</mujoco>\n");
        var r = Robo.Run("sim", path, "--steps", "1");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("bogus"));
        Assert.That(r.Stderr, Does.Contain("line 4").IgnoreCase);
    }
}
