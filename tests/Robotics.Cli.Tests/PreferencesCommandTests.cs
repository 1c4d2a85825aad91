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
}
