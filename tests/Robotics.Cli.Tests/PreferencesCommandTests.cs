using System.Text.Json;
using NUnit.Framework;

namespace Robotics.Cli.Tests;

/// <summary>`robo prefs`: the offline evaluation of a preference reward model, end to end at a small size.</summary>
public class PreferencesCommandTests
{
    private static readonly string[] Small =
        ["--pairs", "60", "--episodes", "5", "--episode-steps", "60", "--segment", "20", "--heldout", "60", "--hidden", "32", "--epochs", "20"];

    [Test]
    public void PrefsEvalPrintsHeldOutAccuracyAndTheQueriesItAsked()
    {
        var dir = Directory.CreateTempSubdirectory("robo-prefs-eval-").FullName;
        try
        {
            var dataset = Path.Combine(dir, "queries.safetensors");
            var model = Path.Combine(dir, "reward.safetensors");
            var r = Robo.Run(["prefs", "eval", "--task", "reach", "--teacher", "mistake", "--seed", "3", .. Small, "--save-dataset", dataset, "--save-model", model]);
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            using var json = JsonDocument.Parse(r.LastLine);
            var root = json.RootElement;
            Assert.That(root.GetProperty("task").GetString(), Is.EqualTo("reach"));
            Assert.That(root.GetProperty("teacher").GetString(), Is.EqualTo("mistake"));
            Assert.That(root.GetProperty("pairs").GetInt32(), Is.EqualTo(60));
            var labels = root.GetProperty("labels");
            int answered = labels.GetProperty("first").GetInt32() + labels.GetProperty("second").GetInt32()
                           + labels.GetProperty("equal").GetInt32() + labels.GetProperty("skip").GetInt32();
            Assert.That(answered, Is.EqualTo(60));
            Assert.That(root.GetProperty("heldout_pairs").GetInt32(), Is.EqualTo(60));
            Assert.That(root.GetProperty("heldout_accuracy").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(root.GetProperty("teacher_agreement").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(root.GetProperty("epochs").GetInt32(), Is.InRange(1, 20));
            Assert.That(File.Exists(dataset) && File.Exists(model), Is.True);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void PrefsEvalRefusesAnUnknownTeacher()
    {
        var r = Robo.Run(["prefs", "eval", "--task", "reach", "--teacher", "psychic", .. Small]);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("unknown teacher 'psychic'"));
    }

    [Test]
    public void PrefsPebbleTrainsSacFromPreferencesWithinTheBudget()
    {
        var dir = Directory.CreateTempSubdirectory("robo-prefs-pebble-").FullName;
        try
        {
            var r = Robo.Run("prefs", "pebble", "--task", "reach", "--steps", "700", "--seed-steps", "100", "--unsup-steps", "200",
                "--query-every", "200", "--queries", "10", "--budget", "25", "--segment", "20", "--hidden", "32", "--batch", "32",
                "--reward-hidden", "32", "--state-only", "--eval-every", "350", "--eval-episodes", "1", "--final-policy", "best", "--no-video", "--out", dir);
            Assert.That(r.ExitCode, Is.Zero, r.Stderr);
            using var json = JsonDocument.Parse(r.LastLine);
            var root = json.RootElement;
            Assert.That(root.GetProperty("algorithm").GetString(), Is.EqualTo("pebble"));
            Assert.That(root.GetProperty("steps").GetInt64(), Is.EqualTo(700));
            // Sessions at steps 300, 500 and 700: 10 + 10 + the 5 left of the budget.
            Assert.That(root.GetProperty("feedback").GetInt32(), Is.EqualTo(25));
            Assert.That(root.GetProperty("sessions").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("success_rate").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(File.Exists(Path.Combine(dir, "reward", "model.safetensors")), Is.True);
            Assert.That(File.Exists(Path.Combine(dir, "reward", "queries.safetensors")), Is.True);
            var metrics = File.ReadAllText(Path.Combine(dir, "metrics.csv"));
            Assert.That(metrics, Does.Contain("pebble/feedback").And.Contain("reward_model/train_accuracy").And.Contain("pebble/intrinsic_reward"));
            Assert.That(root.GetProperty("policy_step").GetInt64(), Is.EqualTo(root.GetProperty("best_step").GetInt64()), "final_policy best");

            // The saved model, inspected along expert episodes: state-only, so the action alone is worth nothing.
            var inspect = Robo.Run("prefs", "inspect", "--model", Path.Combine(dir, "reward", "model.safetensors"), "--task", "reach",
                                   "--episodes", "2", "--episode-steps", "60", "--window", "10", "--random-actions", "2");
            Assert.That(inspect.ExitCode, Is.Zero, inspect.Stderr);
            using var inspected = JsonDocument.Parse(inspect.LastLine);
            Assert.That(inspected.RootElement.GetProperty("state_only").GetBoolean(), Is.True);
            Assert.That(inspected.RootElement.GetProperty("action_spread").GetDouble(), Is.EqualTo(0).Within(1e-4));
            Assert.That(inspected.RootElement.GetProperty("steps").GetInt32(), Is.EqualTo(120));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
