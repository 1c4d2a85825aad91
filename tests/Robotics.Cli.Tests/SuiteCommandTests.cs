using System.Text.Json;
using NUnit.Framework;
using Robotics.Core.Data;

namespace Robotics.Cli.Tests;

/// <summary>The Franka-suite commands: tasks, expert, collect, bench env, and their errors.</summary>
public class SuiteCommandTests
{
    [Test]
    public void TasksJsonListsTheTenTasksWithTheirModelFiles()
    {
        var r = Robo.Run("tasks", "--json");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        var tasks = json.RootElement.EnumerateArray().ToList();
        Assert.That(tasks, Has.Count.EqualTo(10));
        var names = tasks.Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(names, Does.Contain("reach").And.Contain("pick-place").And.Contain("peg-insert-side"));
        foreach (var t in tasks)
        {
            var model = t.GetProperty("model").GetString()!;
            Assert.That(Path.IsPathRooted(model), $"{model} is not absolute");
            Assert.That(File.Exists(model), $"{model} does not exist");
            Assert.That(Path.GetFileName(model), Is.EqualTo(t.GetProperty("name").GetString() + ".xml"));
            Assert.That(t.GetProperty("description").GetString(), Is.Not.Empty);
        }
    }

    [Test]
    public void TasksTableNamesEveryTask()
    {
        var r = Robo.Run("tasks");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        foreach (var name in new[] { "reach", "push", "drawer-open", "window-close" }) Assert.That(r.Stdout, Does.Contain(name));
    }

    [Test]
    public void ExpertSolvesReach()
    {
        var r = Robo.Run("expert", "--task", "reach", "--episodes", "4", "--seed", "10");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        var s = json.RootElement;
        Assert.That(s.GetProperty("task").GetString(), Is.EqualTo("reach"));
        Assert.That(s.GetProperty("episodes").GetInt32(), Is.EqualTo(4));
        Assert.That(s.GetProperty("seed").GetInt32(), Is.EqualTo(10));
        Assert.That(s.GetProperty("success_rate").GetDouble(), Is.GreaterThanOrEqualTo(0.9));
        Assert.That(s.GetProperty("mean_steps_to_success").GetDouble(), Is.InRange(1.0, 500.0));
        // Dense rewards are 0–10 a step over 500 steps; a solved reach earns most of them.
        Assert.That(s.GetProperty("mean_return").GetDouble(), Is.InRange(1000.0, 5000.0));
    }

    [Test]
    public void CollectWritesWholeEpisodesAsAnNpzDataset()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("collect").FullName, "reach.npz");
        var r = Robo.Run("collect", "--task", "reach", "--policy", "expert", "--noise", "0.3", "--episodes", "2", "--seed", "4", "--out", path);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        Assert.That(json.RootElement.GetProperty("out").GetString(), Is.EqualTo(path));
        Assert.That(json.RootElement.GetProperty("transitions").GetInt32(), Is.EqualTo(1000));
        Assert.That(json.RootElement.GetProperty("episodes").GetInt32(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("success_rate").GetDouble(), Is.InRange(0.0, 1.0));

        var d = TransitionDataset.Load(path);
        Assert.That((d.Count, d.ObservationSize, d.ActionSize), Is.EqualTo((1000, 39, 4)));
        Assert.That(d.Timeouts.Count(x => x), Is.EqualTo(2));
        Assert.That(d.Timeouts[499] && d.Timeouts[999], "the last step of each episode is a timeout");
        Assert.That(d.Terminals, Has.None.True, "the env never terminates");
        Assert.That(d.Actions, Has.All.InRange(-1f, 1f));
        Assert.That(d.Actions.Distinct().Count(), Is.GreaterThan(100), "noisy actions");
        Assert.That(d.Rewards, Has.All.InRange(0f, 10f));
        for (int t = 0; t < 999; t++)
        {
            if (t == 499) continue; // episode boundary
            Assert.That(d.Observation(t + 1).ToArray(), Is.EqualTo(d.NextObservation(t).ToArray()), $"row {t}");
        }
        Assert.That(d.Observation(500).ToArray(), Is.Not.EqualTo(d.NextObservation(499).ToArray()), "episode 2 starts from a fresh reset");
    }

    [Test]
    public void BenchEnvReportsPositiveSpeeds()
    {
        var r = Robo.Run("bench", "env", "--task", "reach", "--steps", "400", "--repeats", "1", "--workers", "2");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        var s = json.RootElement;
        Assert.That(s.GetProperty("frame_skip").GetInt32(), Is.EqualTo(5));
        foreach (var key in new[] { "env_steps_per_sec", "physics_steps_per_sec", "ratio", "replay_physics_steps_per_sec", "replay_ratio",
                     "vector_env_steps_per_sec", "vector_speedup" })
            Assert.That(s.GetProperty(key).GetDouble(), Is.GreaterThan(0), key);
        // Physics without the env's work is faster than the env, per env step, whatever the machine's load.
        Assert.That(s.GetProperty("env_steps_per_sec").GetDouble(), Is.LessThan(s.GetProperty("physics_steps_per_sec").GetDouble()));
    }

    [TestCase("expert --task nope", "unknown task 'nope'")]
    [TestCase("collect --task nope --out {tmp}", "unknown task 'nope'")]
    [TestCase("bench env --task nope --steps 10", "unknown task 'nope'")]
    [TestCase("collect --task reach --policy random --out {tmp}", "unknown --policy 'random'; accepted: expert")]
    [TestCase("expert --task reach --episodes 0", "--episodes must be positive, got 0")]
    [TestCase("collect --task reach --episodes -3 --out {tmp}", "--episodes must be positive, got -3")]
    [TestCase("collect --task reach --noise -1 --out {tmp}", "--noise must be a finite number >= 0")]
    [TestCase("bench env --task reach --steps 0", "--steps must be positive")]
    public void BadInputExitsWithOneClearLine(string command, string expected)
    {
        var tmp = Path.Combine(Directory.CreateTempSubdirectory("bad").FullName, "x.npz");
        var r = Robo.Run(command.Replace("{tmp}", tmp).Split(' '));
        Assert.That(r.ExitCode, Is.EqualTo(1), r.Stdout);
        Assert.That(r.Stderr, Does.StartWith("robo: error: "));
        Assert.That(r.Stderr, Does.Contain(expected));
        Assert.That(r.Stderr, Does.Not.Contain("   at "), "a user error must not print a stack trace");
        Assert.That(File.Exists(tmp), Is.False, "nothing is written on bad input");
    }
}
