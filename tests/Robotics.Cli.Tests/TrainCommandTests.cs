using System.Text.Json;
using NUnit.Framework;

namespace Robotics.Cli.Tests;

public class TrainCommandTests
{
    [Test]
    public void TrainWritesARunDirectoryThatEvalCanUse()
    {
        var dir = Directory.CreateTempSubdirectory("train").FullName;
        var runDir = Path.Combine(dir, "run");
        var r = Robo.Run("train", "--task", "reach", "--algo", "sac", "--steps", "600", "--eval-episodes", "1", "--checkpoint-every", "500", "--out", runDir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var summary = JsonDocument.Parse(r.LastLine);
        Assert.That(summary.RootElement.GetProperty("steps").GetInt64(), Is.EqualTo(600));
        Assert.That(File.ReadAllText(Path.Combine(runDir, "metrics.csv")), Does.Contain("losses/qf1_loss").And.Contain("eval/success_rate").And.Contain("reward/in_place"));
        Assert.That(Directory.GetFiles(runDir, "events.out.tfevents.*"), Is.Not.Empty);
        Assert.That(File.Exists(Path.Combine(runDir, "checkpoints", "step-000000500.ckpt")), Is.True);
        Assert.That(new FileInfo(Path.Combine(runDir, "videos", "final.mp4")).Length, Is.GreaterThan(1000));

        var checkpoint = summary.RootElement.GetProperty("checkpoint").GetString()!;
        var video = Path.Combine(dir, "eval.mp4");
        var e = Robo.Run("eval", checkpoint, "--episodes", "2", "--video", video);
        Assert.That(e.ExitCode, Is.Zero, e.Stderr);
        using var eval = JsonDocument.Parse(e.LastLine);
        Assert.That(eval.RootElement.GetProperty("task").GetString(), Is.EqualTo("reach"), "the task comes from the checkpoint");
        Assert.That(eval.RootElement.GetProperty("episodes").GetInt32(), Is.EqualTo(2));
        var failed = eval.RootElement.GetProperty("failed_seeds").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        Assert.That(failed.Length, Is.EqualTo((int)Math.Round(2 * (1 - eval.RootElement.GetProperty("success_rate").GetDouble()))));
        Assert.That(failed, Is.SubsetOf(new[] { 1_000_000, 1_000_001 }), "episode i of an evaluation is seeded 1,000,000 + i");
        var failures = eval.RootElement.GetProperty("failures").EnumerateArray().ToArray();
        Assert.That(failures.Select(f => f.GetProperty("seed").GetInt32()), Is.EqualTo(failed));
        foreach (var f in failures)
            Assert.That(f.GetProperty("final_info").GetProperty("hand_to_goal").GetDouble(), Is.GreaterThan(0.05), "a failed reach ends outside the 5 cm");
        Assert.That(new FileInfo(video).Length, Is.GreaterThan(1000));
    }

    [Test]
    public void BadInputGivesOneClearLine()
    {
        var r = Robo.Run("train", "--task", "reach", "--algo", "dqn");
        Assert.That((r.ExitCode, r.Stderr), Is.EqualTo((1, r.Stderr)));
        Assert.That(r.Stderr, Does.Contain("dqn").And.Contain("sac"));

        r = Robo.Run("train", "--task", "reach", "--resume", "/nonexistent/x.ckpt");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("/nonexistent/x.ckpt"));

        var junk = Path.Combine(Directory.CreateTempSubdirectory("train").FullName, "junk.ckpt");
        File.WriteAllText(junk, "not a checkpoint");
        r = Robo.Run("eval", junk);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.StartWith("robo: error:").And.Contain("junk.ckpt"));
    }

    [Test]
    public void A_run_directory_another_run_holds_is_refused_with_one_clear_line()
    {
        var dir = Directory.CreateTempSubdirectory("train").FullName;
        var runDir = Path.Combine(dir, "run");
        var experiment = Path.Combine(dir, "tiny.yaml");
        File.WriteAllText(experiment, "name: tiny\ntask: reach\nalgorithm: sac\nseeds: [0]\nsteps: 300\nvideo: false\nevaluation:\n  episodes: 1\n");
        using (Training.RunDirectoryLock.Acquire(runDir)) // what a running `robo train` or `robo run` holds
        {
            foreach (var args in new[] { new[] { "train", "--task", "reach", "--steps", "300", "--out", runDir }, ["run", experiment, "--out", runDir] })
            {
                var r = Robo.Run(args);
                Assert.That(r.ExitCode, Is.EqualTo(1), r.Stderr);
                Assert.That(r.Stderr, Does.StartWith("robo: error:").And.Contain("in use by another robo process").And.Contain(runDir));
            }
            Assert.That(File.Exists(Path.Combine(runDir, "metrics.csv")), Is.False, "the refused run wrote nothing");
        }
        // Released (as the kernel releases it when a run exits or is killed), the directory takes a run again; a
        // rerun of the run's own copy of its file (robo run RUN/experiment.yaml --out RUN) is no conflict either.
        var ok = Robo.Run("run", experiment, "--out", runDir);
        Assert.That(ok.ExitCode, Is.Zero, ok.Stderr);
        var self = Robo.Run("run", Path.Combine(runDir, "experiment.yaml"), "--out", runDir);
        Assert.That(self.ExitCode, Is.Zero, self.Stderr);
        Assert.That(File.ReadAllText(Path.Combine(runDir, "experiment.yaml")), Is.EqualTo(File.ReadAllText(experiment)));
    }

    [Test]
    public void TrainsOnARewardProgramAndKeepsItInTheRunDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("train").FullName;
        var program = Path.Combine(dir, "reach.cs");
        var template = Robo.Run("reward", "template", "--task", "reach");
        Assert.That(template.ExitCode, Is.Zero, template.Stderr);
        // The template returns 0; make it a real (if crude) distance reward.
        File.WriteAllText(program, template.Stdout.Replace("return 0.0;", "return -System.Numerics.Vector3.Distance(state.Hand, state.Goal);"));
        var runDir = Path.Combine(dir, "run");
        var r = Robo.Run("train", "--task", "reach", "--steps", "300", "--eval-episodes", "1", "--no-video", "--reward-program", program, "--out", runDir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr + r.Stdout);
        Assert.That(File.Exists(Path.Combine(runDir, "reward", "program.cs")), Is.True);

        File.WriteAllText(program, template.Stdout.Replace("return 0.0;", "System.IO.File.Delete(\"/tmp/x\"); return 0.0;"));
        r = Robo.Run("train", "--task", "reach", "--steps", "300", "--reward-program", program, "--out", Path.Combine(dir, "refused"));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("System.IO.File"));
    }
}
