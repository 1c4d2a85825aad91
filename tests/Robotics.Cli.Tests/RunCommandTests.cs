using System.Text.Json;
using NUnit.Framework;

namespace Robotics.Cli.Tests;

public class RunCommandTests
{
    private static string Write(string yaml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("run").FullName, "experiment.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Test]
    public void ExpertExperimentWritesARunDirectory()
    {
        var yaml = Write("name: t\ntask: reach\nalgorithm: expert\nepisodes: 2\nseed: 5\n");
        var runDir = Path.Combine(Path.GetDirectoryName(yaml)!, "out");
        var r = Robo.Run("run", yaml, "--out", runDir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var summary = JsonDocument.Parse(r.LastLine);
        Assert.That(summary.RootElement.GetProperty("success_rate").GetDouble(), Is.EqualTo(1.0));
        Assert.That(new FileInfo(Path.Combine(runDir, "seed-5", "videos", "final.mp4")).Length, Is.GreaterThan(1000));
        Assert.That(new FileInfo(Path.Combine(runDir, "seed-5", "videos", "final.gif")).Length, Is.GreaterThan(1000));
        Assert.That(File.Exists(Path.Combine(runDir, "experiment.yaml")), Is.True);
        Assert.That(summary.RootElement.GetProperty("report").GetString(), Is.EqualTo(Path.Combine(runDir, "report.html")));
        Assert.That(File.ReadAllText(Path.Combine(runDir, "report.html")), Does.Contain("<svg").And.Contain("<video"));
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "run.json")));
        Assert.That(run.RootElement.GetProperty("git_commit").GetString(), Has.Length.GreaterThanOrEqualTo(7));
    }

    [Test]
    public void SacExperimentTrainsEachSeedAndResumesAfterAKill()
    {
        var yaml = Write("""
            name: tiny
            task: reach
            algorithm: sac
            seeds: [0, 1]
            steps: 1000
            evaluation: { every: 0, episodes: 1 }
            checkpoint_every: 500
            video: false
            sac: { learning_starts: 200, batch_size: 32, hidden: 32 }
            """);
        var runDir = Path.Combine(Path.GetDirectoryName(yaml)!, "out");
        // First "session": stop at 500 steps, then make seed 1 look killed (no summary).
        var first = Robo.Run("run", yaml, "--out", runDir, "--steps", "500");
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        File.Delete(Path.Combine(runDir, "seed-1", "summary.json"));
        File.Delete(Path.Combine(runDir, "seed-0", "summary.json"));
        var resumed = Robo.Run("run", "--resume", runDir);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Stderr);
        using var summary = JsonDocument.Parse(resumed.LastLine);
        Assert.That(summary.RootElement.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()), Is.EqualTo(new[] { 0, 1 }));
        foreach (var seed in new[] { 0, 1 })
        {
            using var s = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, $"seed-{seed}", "summary.json")));
            Assert.That(s.RootElement.GetProperty("steps").GetInt64(), Is.EqualTo(1000), $"seed {seed} continued from 500 to the file's 1000 steps");
            Assert.That(File.ReadAllText(Path.Combine(runDir, $"seed-{seed}", "metrics.csv")), Does.Contain("losses/qf1_loss"));
        }
    }

    [Test]
    public void FinalPolicyBestEndsWithTheBestEvaluatedPolicyAndReportsIt()
    {
        var yaml = Write("""
            name: best
            task: reach
            algorithm: sac
            seed: 0
            steps: 900
            evaluation: { every: 300, episodes: 2, final_policy: best }
            checkpoint_every: 0
            video: false
            sac: { learning_starts: 100, batch_size: 32, hidden: 32 }
            """);
        var runDir = Path.Combine(Path.GetDirectoryName(yaml)!, "out");
        var r = Robo.Run("run", yaml, "--out", runDir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var s = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "seed-0", "summary.json")));
        var root = s.RootElement;
        long best = root.GetProperty("best_step").GetInt64();
        Assert.That(best, Is.AnyOf(300L, 600L, 900L), "the best is one of the scheduled evaluations");
        Assert.That(root.GetProperty("policy_step").GetInt64(), Is.EqualTo(best), "the final evaluation is of the best policy");
        Assert.That(File.Exists(root.GetProperty("best_checkpoint").GetString()), Is.True);
        var evals = File.ReadLines(Path.Combine(runDir, "seed-0", "metrics.csv")).Select(l => l.Split(','))
            .Where(f => f[2] == "eval/success_rate").Select(f => (long.Parse(f[0]), double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.That(evals.Select(e => e.Item1), Is.EqualTo(new[] { 300L, 600L, 900L }));
        Assert.That(evals.Max(e => e.Item2), Is.EqualTo(root.GetProperty("best_success_rate").GetDouble()));
        Assert.That(File.ReadAllText(Path.Combine(runDir, "report.html")), Does.Contain("best evaluation success").And.Contain("policy evaluated (step)"));

        var bad = Write("name: t\ntask: reach\nalgorithm: sac\nevaluation: { final_policy: luckiest }\n");
        var e = Robo.Run("run", bad);
        Assert.That(e.ExitCode, Is.EqualTo(1));
        Assert.That(e.Stderr, Does.Contain("line 4").And.Contain("evaluation.final_policy").And.Contain("last, best"));
    }

    [Test]
    public void UnknownKeyIsNamedWithItsLine()
    {
        var r = Robo.Run("run", Write("name: x\ntask: reach\nbogus_key: 3\n"));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("line 3").And.Contain("bogus_key"));
    }

    [Test]
    public void BadValuesAreNamedWithTheirLines()
    {
        var r = Robo.Run("run", Write("name: x\n\ntask: reachh\n"));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("line 3").And.Contain("reachh").And.Contain("pick-place"));

        r = Robo.Run("run", Write("task: reach\nsac:\n  batch_size: 256\n  gama: 0.9\n"));
        Assert.That(r.Stderr, Does.Contain("line 4").And.Contain("gama"));

        r = Robo.Run("run", Write("task: reach\nevaluation:\n  episodes: 0\n"));
        Assert.That(r.Stderr, Does.Contain("line 3").And.Contain("evaluation.episodes"));

        r = Robo.Run("run", Write("task: reach\nalgorithm: dqn\n"));
        Assert.That(r.Stderr, Does.Contain("line 2").And.Contain("dqn").And.Contain("sac"));
    }
}

public class InterruptionTests
{
    [Test]
    public void StoppingSavesACheckpointAndAPartialReportAndResumeFinishes()
    {
        var dir = Directory.CreateTempSubdirectory("interrupt").FullName;
        var yaml = Path.Combine(dir, "long.yaml");
        File.WriteAllText(yaml, """
            name: long
            task: reach
            algorithm: sac
            seed: 0
            steps: 20000
            evaluation: { every: 0, episodes: 1 }
            video: false
            sac: { learning_starts: 100, batch_size: 32, hidden: 32 }
            """);
        var runDir = Path.Combine(dir, "out");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "robo.dll"), "run", yaml, "--out", runDir }) info.ArgumentList.Add(a);
        using var robo = System.Diagnostics.Process.Start(info)!;
        var stdout = robo.StandardOutput.ReadToEndAsync();
        var stderr = robo.StandardError.ReadToEndAsync();
        // Wait until training has logged a finished episode, then stop it as a scheduler would. SIGTERM shares the
        // Ctrl-C path (SIGINT); the test sends SIGTERM because a process started from a non-interactive shell may
        // have SIGINT ignored from birth.
        var metrics = Path.Combine(runDir, "seed-0", "metrics.csv");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !robo.HasExited && !(File.Exists(metrics) && new FileInfo(metrics).Length > 100)) Thread.Sleep(200);
        Assert.That(robo.HasExited, Is.False, "the run ended before it could be interrupted");
        System.Diagnostics.Process.Start("kill", $"-TERM {robo.Id}")!.WaitForExit();
        Assert.That(robo.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the signal stops the run");
        Assert.That(robo.ExitCode, Is.EqualTo(130), $"stdout: {stdout.Result}\nstderr: {stderr.Result}");
        using (var summary = System.Text.Json.JsonDocument.Parse(stdout.Result.TrimEnd().Split('\n')[^1]))
            Assert.That(summary.RootElement.GetProperty("interrupted").GetBoolean(), Is.True);
        Assert.That(File.Exists(Path.Combine(runDir, "seed-0", "checkpoints", "latest.ckpt")), Is.True, "a checkpoint is saved when stopped");
        Assert.That(File.ReadAllText(Path.Combine(runDir, "report.html")), Does.Contain("title=\"some seeds did not finish\""), "a partial report is written");

        var resumed = Robo.Run("run", "--resume", runDir);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Stderr);
        using var done = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "seed-0", "summary.json")));
        Assert.That(done.RootElement.GetProperty("steps").GetInt64(), Is.EqualTo(20000));
        Assert.That(done.RootElement.GetProperty("interrupted").GetBoolean(), Is.False);
    }
}
