using NUnit.Framework;
using Robotics.Cli.Experiments;
using Robotics.Envs;

namespace Robotics.Cli.Tests;

/// <summary>
/// Every file in experiments/ parses, names real things, and runs: each is smoke-tested for a few hundred steps.
/// The files in its subfolders need what CI cannot have: a downloaded CLIP model (vlm/), a vision-language model
/// endpoint (vlm/) or an LLM endpoint (llm/). They are tested as written all the same, with stand-ins: the file is
/// copied next to a tiny random CLIP written in Hugging Face's format at the model_dir it names, and its base_url is
/// pointed at a scripted OpenAI-compatible server on 127.0.0.1 (a VLM for rl-vlm-f, an LLM for text2reward).
/// </summary>
public class ExperimentFilesTests
{
    private string _tinyClip = null!;
    private ChatServer _vlm = null!, _llm = null!;
    private readonly List<string> _staged = new();

    [OneTimeSetUp]
    public void StartStandIns()
    {
        _tinyClip = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(), seed: 3);
        // RL-VLM-F asks twice per pair: an analysis of the two images, then a label read from that analysis
        // (0, 1, or −1 for unsure, which is dropped).
        _vlm = new ChatServer((request, n) => new ChatServer.Reply(
            request.Images.Count == 2 ? "Image 1 shows the arm further from the goal than Image 2." : (n % 5 == 4 ? "-1" : (n % 3 == 0 ? "0" : "1"))));
        // Text2Reward: the LLM answers with the stored reach program (the only llm/ file's task).
        _llm = new ChatServer((_, _) => ChatServer.Program(File.ReadAllText(PathOf("rewards/reach.cs"))));
    }

    [OneTimeTearDown]
    public void StopStandIns()
    {
        _vlm.Dispose();
        _llm.Dispose();
        foreach (var dir in _staged.Append(_tinyClip)) Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// The file as the runner will read it: a top-level file in place; a subfolder's file copied to a new folder,
    /// with the tiny CLIP where its model_dir points. Endpoints are swapped after loading (see <see cref="StandIn"/>).
    /// </summary>
    private string Staged(string file)
    {
        if (Path.GetDirectoryName(file) is "" or null) return PathOf(file);
        var dir = Directory.CreateTempSubdirectory("experiment-file-").FullName;
        _staged.Add(dir);
        var staged = Path.Combine(dir, Path.GetFileName(file));
        File.Copy(PathOf(file), staged);
        var modelDir = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(staged), @"(?m)^\s*model_dir:\s*(\S+)\s*$");
        if (modelDir.Success)
        {
            var target = Path.Combine(dir, modelDir.Groups[1].Value);
            Directory.CreateDirectory(target);
            foreach (var f in Directory.GetFiles(_tinyClip)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
        return staged;
    }

    /// <summary>Endpoints and devices CI has in place of the ones the file names.</summary>
    private void StandIn(Experiment e)
    {
        if (e.Reward.Source == "rl-vlm-f") (e.Reward.BaseUrl, e.Reward.RequestsPerMinute) = (_vlm.BaseUrl, null);
        if (e.Reward.Source == "text2reward") e.Reward.BaseUrl = _llm.BaseUrl;
        if (e.Device == "cuda" && !Robotics.Torch.torch.cuda.is_available()) e.Device = "cpu";
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Robotics.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (with Robotics.sln) is not above the test binaries");
    }

    /// <summary>Paths relative to experiments/, subfolders included.</summary>
    public static IEnumerable<string> Files()
    {
        var root = Path.Combine(RepositoryRoot(), "experiments");
        return Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order();
    }

    private static string PathOf(string file) => Path.Combine(RepositoryRoot(), "experiments", file);

    [Test]
    public void ThereIsAFileForEachAlgorithmOnEveryMt10Task()
    {
        var files = Files().ToHashSet();
        foreach (var task in FrankaSuite.Names)
            Assert.That(files, Does.Contain($"sac-{task}.yaml").And.Contain($"ppo-{task}.yaml"));
        Assert.That(files, Does.Contain("demo.yaml").And.Contain("iql-push.yaml"));
    }

    [Test]
    public void EveryRewardSourceOfThePapersHasAnExperiment()
    {
        var loaded = Files().Select(f => Experiment.Load(Staged(f))).ToList();
        var sources = loaded.Select(e => e.Reward.Source).ToHashSet();
        Assert.That(sources, Is.SupersetOf(new[] { "dense", "text2reward", "program", "pebble", "transfer", "vlm-rm", "rl-vlm-f" }));
        Assert.That(loaded.Where(e => e.Algorithm == "iql").Select(e => e.Reward.Source), Does.Contain("rl-vlm-f"), "offline RL from VLM feedback");
        Assert.That(loaded.Where(e => e.Reward.Source == "pebble").Select(e => e.Reward.Robust ?? false), Does.Contain(true), "PEARL's robust reward learning");
    }

    [TestCaseSource(nameof(Files))]
    public void ParsesAndNamesRealThings(string file)
    {
        var e = Experiment.Load(Staged(file));
        Assert.That(FrankaSuite.Names, Does.Contain(e.Task));
        Assert.That(Experiment.Algorithms, Does.Contain(e.Algorithm));
        Assert.That(Experiment.RewardSources, Does.Contain(e.Reward.Source));
        Assert.That(e.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(file)), "the run name matches the file name");
    }

    [TestCaseSource(nameof(Files))]
    public void RunsAFewHundredSteps(string file)
    {
        var path = Staged(file);
        var e = Experiment.Load(path);
        StandIn(e);
        // Shrink the run, keeping the file's algorithm, task and reward.
        e.Seeds = [e.SeedList[0]];
        e.Seed = null;
        e.Steps = e.Algorithm == "ppo" ? 512 : 300;
        e.Evaluation = new EvaluationSection { Every = 0, Episodes = 1 };
        e.Video = false;
        e.Episodes = 1;
        e.Ppo = e.Ppo with { NumEnvs = 2, NumSteps = 128, NumMinibatches = 4 };
        e.Sac = e.Sac with { LearningStarts = 100, BufferSize = 1000 };
        if (e.Collect is not null) e.Collect.Episodes = 2;
        if (e.Reward.Source == "rl-vlm-f" && e.Algorithm is "iql" or "bc") e.Reward.Pairs = 12;
        var runDir = Directory.CreateTempSubdirectory("experiment-").FullName;
        var (_, seeds, interrupted) = ExperimentRunner.Run(e, path, runDir, resume: false);
        Assert.That(interrupted, Is.False);
        Assert.That(seeds, Has.Count.EqualTo(1));
        Assert.That(seeds[0].Summary.FinalEvaluation, Is.Not.Null);
        if (e.Algorithm != "expert") Assert.That(seeds[0].Summary.Steps, Is.EqualTo(e.Steps));
        Directory.Delete(runDir, recursive: true);
    }
}
