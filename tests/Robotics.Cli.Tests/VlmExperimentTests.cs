using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Robotics.Cli.Commands;
using Robotics.Cli.Experiments;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Cli.Tests;

/// <summary>
/// Experiment files with vision-language rewards, run through the experiment runner: rl-vlm-f with sac (PEBBLE whose
/// queries a scripted VLM on 127.0.0.1 answers), vlm-rm with sac (the tiny random CLIP labelling the replay buffer in
/// batches), and the checks that keep each source to the algorithms it serves.
/// </summary>
public class VlmExperimentTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("robo-vlm-experiment-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "experiment.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Experiment Load(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"robo-vlm-experiment-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try { return Experiment.Load(path); }
        finally { File.Delete(path); }
    }

    private static double Brightness(Robotics.Core.Images.RgbImage image) => image.Pixels.Average(b => (double)b);

    [Test]
    public void OnlineRlVlmFRunsPebbleWithTheVlmAnsweringTheQueries()
    {
        // Stage 1 reports each frame's brightness; stage 2 prefers the brighter one, except that of every four answers
        // (in arrival order) one is "-1" and one has no label: whatever order the questions come in, half are skips.
        int answered = 0;
        using var server = new ChatServer((request, _) =>
        {
            if (request.Images.Count == 2)
                return new ChatServer.Reply(string.Create(CultureInfo.InvariantCulture,
                    $"Image 1 brightness {Brightness(request.Images[0]):F4}. Image 2 brightness {Brightness(request.Images[1]):F4}."));
            var m = Regex.Match(request.Text, @"Image 1 brightness ([\d.]+)\. Image 2 brightness ([\d.]+)\.");
            double first = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), second = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return new ChatServer.Reply((Interlocked.Increment(ref answered) % 4) switch
            {
                2 => "-1",
                3 => "I cannot tell from the description.",
                _ => first >= second ? "0" : "1",
            });
        });
        var yaml = Write($"""
            name: rl-vlm-f-online
            task: reach
            reward:
              source: rl-vlm-f
              goal: "to move the gripper fingertips to the small green ball"
              model: scripted-vlm
              base_url: {server.BaseUrl}
              concurrency: 2
              budget: 8
              queries: 4
              query_every: 100
              seed_steps: 50
              unsup_steps: 150
              segment: 20
              reward_hidden: 32
            algorithm: sac
            seed: 0
            steps: 400
            evaluation: {"{"} every: 0, episodes: 1 {"}"}
            checkpoint_every: 0
            video: false
            sac: {"{"} batch_size: 32, hidden: 32 {"}"}
            """);
        var e = Experiment.Load(yaml);
        Assert.That(PrefsExperiments.Handles(e), Is.True);
        var runDir = Path.Combine(_dir, "run");
        var (_, seeds, interrupted) = ExperimentRunner.Run(e, yaml, runDir, resume: false);
        Assert.That(interrupted, Is.False);
        Assert.That(seeds.Single().Summary.Steps, Is.EqualTo(400));

        // Two sessions of four queries (steps 200 and 300), each query two requests with the two segments' last frames.
        var requests = server.Received;
        Assert.That(requests, Has.Count.EqualTo(16));
        var stage1 = requests.Where(r => r.Images.Count == 2).ToList();
        Assert.That(stage1, Has.Count.EqualTo(8));
        Assert.That(stage1.SelectMany(r => r.Images).Select(i => (i.Width, i.Height)).Distinct(), Is.EqualTo(new[] { (224, 224) }), "rendered frames");
        Assert.That(stage1[0].Text, Does.Contain("The goal is to move the gripper fingertips to the small green ball."));

        // The VLM's labels are PEBBLE's dataset: the answered ones as given, the unsure and malformed ones kept as skips.
        var seedDir = Path.Combine(runDir, "seed-0");
        var dataset = PreferenceDataset.Load(Path.Combine(seedDir, "reward", "queries.safetensors"));
        Assert.That((dataset.Count, dataset.CountOf(Preference.Skip), dataset.Trainable.Count()), Is.EqualTo((8, 4, 4)));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedDir, "summary.json")));
        var root = summary.RootElement;
        Assert.That(root.GetProperty("feedback").GetInt32(), Is.EqualTo(8));
        Assert.That(root.GetProperty("reward_train_accuracy").ValueKind, Is.EqualTo(JsonValueKind.Number), "the reward model was trained on the kept labels");
        var answers = root.GetProperty("vlm_answers");
        Assert.That((answers.GetProperty("asked").GetInt32(), answers.GetProperty("kept").GetInt32(), answers.GetProperty("unsure").GetInt32(),
                     answers.GetProperty("malformed").GetInt32()), Is.EqualTo((8, 4, 2, 2)));
        Assert.That(File.Exists(Path.Combine(seedDir, "reward", "model.safetensors")), Is.True);
        Assert.That(File.ReadLines(Path.Combine(runDir, "reward", "vlm-answers.jsonl")).Count(), Is.EqualTo(8), "answers cached beside the seeds");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedDir, "config.json")));
        Assert.That(config.RootElement.GetProperty("reward").GetString(), Is.EqualTo("rl-vlm-f"));
        Assert.That(config.RootElement.GetProperty("vlm").GetProperty("base_url").GetString(), Is.EqualTo(server.BaseUrl));
    }

    [Test]
    public void VlmRmWithSacLabelsTheReplayBufferInClipBatches()
    {
        var model = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(), seed: 11);
        try
        {
            var yaml = Write($"""
                name: vlm-rm-batched
                task: reach
                reward:
                  source: vlm-rm
                  model_dir: {model}
                  goal_prompts: ["a robot arm touching a red puck"]
                  baseline_prompts: ["a robot arm"]
                  batch_size: 16
                algorithm: sac
                seed: 0
                steps: 520
                evaluation: {"{"} every: 0, episodes: 1 {"}"}
                checkpoint_every: 0
                video: false
                sac: {"{"} learning_starts: 100, batch_size: 32, hidden: 32 {"}"}
                """);
            var e = Experiment.Load(yaml);
            Assert.That(e.Sac.TrainFrequency, Is.EqualTo(16), "train_freq defaults to the CLIP batch size");
            var runDir = Path.Combine(_dir, "run");
            var (_, seeds, _) = ExperimentRunner.Run(e, yaml, runDir, resume: false);
            Assert.That(seeds.Single().Summary.Steps, Is.EqualTo(520));

            var metrics = File.ReadLines(Path.Combine(runDir, "seed-0", "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            double Value(string key) => double.Parse(metrics.Single(f => f[2] == key && f[0] == "500")[3], CultureInfo.InvariantCulture);
            // The one finished training episode (500 steps): its return is the CLIP rewards', which lie in [−1, 1] per step.
            var episodeReturn = Value("charts/episodic_return");
            Assert.That(double.IsFinite(episodeReturn), Is.True, "not the NaN placeholders");
            Assert.That(episodeReturn, Is.EqualTo(500 * Value("reward/vlm_rm")).Within(1e-3), "the return is 500 × the logged per-step CLIP mean");
            Assert.That(Math.Abs(episodeReturn), Is.LessThanOrEqualTo(500));
            Assert.That(metrics.Any(f => f[2] == "losses/qf1_loss"), Is.True, "SAC updated");
            Assert.That(metrics.Any(f => f[2] == "eval/success_rate"), Is.True, "evaluation reports the task's success");
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "seed-0", "config.json")));
            Assert.That(config.RootElement.GetProperty("hyperparameters").GetProperty("TrainFrequency").GetInt32(), Is.EqualTo(16));
            Assert.That(config.RootElement.GetProperty("reward").GetString(), Is.EqualTo("vlm-rm"));
        }
        finally
        {
            Directory.Delete(model, recursive: true);
        }
    }

    [Test]
    public void TrainFreqIsReadUnderSb3sName()
    {
        var e = Load("name: t\ntask: reach\nalgorithm: sac\nsac:\n  train_freq: 4\n  gradient_steps: 2\n");
        Assert.That((e.Sac.TrainFrequency, e.Sac.GradientSteps), Is.EqualTo((4, 2)));
        Assert.That(Load("name: t\ntask: reach\n").Sac.TrainFrequency, Is.EqualTo(1), "SAC's default: an update burst after every step");
        var bad = Assert.Throws<InvalidDataException>(() => Load("name: t\ntask: reach\nsac:\n  train_freq: 4\n  overlap: true\n"))!;
        Assert.That(bad.Message, Does.Contain("line 3: sac:").And.Contain("train_freq: 1 only"));
    }

    [Test]
    public void OnlineRlVlmFTakesPebblesKeys()
    {
        var e = Load("""
            name: t
            task: drawer-open
            reward:
              source: rl-vlm-f
              goal: "to open the drawer"
              budget: 400
              queries: 20
              query_every: 2000
              seed_steps: 500
              unsup_steps: 4500
              segment: 1
              sampling: uniform
            algorithm: sac
            """);
        Assert.That(e.OnlineVlmPreferences, Is.True);
        var pebble = PrefsExperiments.PebbleConfig(e.Reward);
        Assert.That((pebble.MaxFeedback, pebble.QueriesPerSession, pebble.QueryEvery, pebble.PretrainingEnd, pebble.SegmentLength),
                    Is.EqualTo((400, 20, 2000, 5000, 1)));
        Assert.That(PrefsExperiments.Handles(Load("name: t\ntask: reach\nreward:\n  source: rl-vlm-f\n  goal: x\nalgorithm: iql\ncollect:\n  episodes: 2\n")), Is.False,
                    "with iql it relabels a dataset");
    }

    [TestCase("rl-vlm-f-drawer-open.yaml", "drawer-open", 1)]
    [TestCase("rl-vlm-f-reach.yaml", "reach", 1)]
    public void OnlineRlVlmFFilesParse(string file, string task, int segment)
    {
        // experiments/vlm is not smoke-run (it needs an endpoint), so at least each file must load as online PEBBLE.
        var e = Experiment.Load(Path.Combine(ExperimentFilesTests.RepositoryRoot(), "experiments", "vlm", file));
        Assert.That((e.Name, e.Task, e.OnlineVlmPreferences, PrefsExperiments.Handles(e)), Is.EqualTo((Path.GetFileNameWithoutExtension(file), task, true, true)));
        Assert.That(PrefsExperiments.PebbleConfig(e.Reward).SegmentLength, Is.EqualTo(segment), "RL-VLM-F compares single frames");
    }

    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\nalgorithm: ppo\n", 4,
              "reward.source: rl-vlm-f learns a reward from a VLM's preferences online with sac (PEBBLE, the VLM answering its queries) or offline with iql or bc (the dataset relabelled), not with ppo")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\n  teacher: oracle\nalgorithm: sac\n", 6, "reward.teacher: is for source: pebble or transfer; with rl-vlm-f the VLM is the teacher")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\n  pairs: 100\nalgorithm: sac\n", 6, "reward.pairs: is for rl-vlm-f offline (iql, bc); with sac the VLM answers PEBBLE's queries")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\n  budget: 100\nalgorithm: iql\ncollect:\n  episodes: 2\n", 6,
              "reward.budget: is for source: pebble, not rl-vlm-f (rl-vlm-f takes it with algorithm: sac, not iql)")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\nalgorithm: sac\ncontrol: joint_delta\n", 7, "control: rewards learned from preferences read end-effector actions")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\n  seed_steps: 10\n  unsup_steps: 0\nalgorithm: sac\n", 7, "reward.unsup_steps: the first queries come after seed_steps + unsup_steps = 10 steps")]
    [TestCase("reward:\n  source: rl-vlm-f\nalgorithm: sac\n", 3, "reward.goal: source: rl-vlm-f needs the goal")]
    [TestCase("reward:\n  source: rl-vlm-f\n  goal: x\n  first_seed: 3\nalgorithm: sac\n", 6, "reward.first_seed: is for rl-vlm-f offline with a dataset file")]
    public void BadRlVlmFFilesAreErrorsWithTheirLine(string reward, int line, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Load("name: bad\ntask: reach\n" + reward))!;
        Assert.That(e.Message, Does.Contain($", line {line}: {message}"));
    }
}
