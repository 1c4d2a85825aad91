using NUnit.Framework;
using Robotics.Cli.Experiments;
using Robotics.Envs;

namespace Robotics.Cli.Tests;

/// <summary>Every file in experiments/ parses, names real things, and runs: each is smoke-tested for a few hundred steps.</summary>
public class ExperimentFilesTests
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Robotics.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (with Robotics.sln) is not above the test binaries");
    }

    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "experiments"), "*.yaml").Order().Select(Path.GetFileName)!;

    private static string PathOf(string file) => Path.Combine(RepositoryRoot(), "experiments", file);

    [Test]
    public void ThereIsAFileForEachAlgorithmOnEveryMt10Task()
    {
        var files = Files().ToHashSet();
        foreach (var task in FrankaSuite.Names)
            Assert.That(files, Does.Contain($"sac-{task}.yaml").And.Contain($"ppo-{task}.yaml"));
        Assert.That(files, Does.Contain("demo.yaml").And.Contain("iql-push.yaml"));
    }

    [TestCaseSource(nameof(Files))]
    public void ParsesAndNamesRealThings(string file)
    {
        var e = Experiment.Load(PathOf(file));
        Assert.That(FrankaSuite.Names, Does.Contain(e.Task));
        Assert.That(Experiment.Algorithms, Does.Contain(e.Algorithm));
        Assert.That(Experiment.RewardSources, Does.Contain(e.Reward.Source));
        Assert.That(e.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(file)), "the run name matches the file name");
    }

    [TestCaseSource(nameof(Files))]
    public void RunsAFewHundredSteps(string file)
    {
        var e = Experiment.Load(PathOf(file));
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
        var runDir = Directory.CreateTempSubdirectory("experiment-").FullName;
        var (_, seeds, interrupted) = ExperimentRunner.Run(e, PathOf(file), runDir, resume: false);
        Assert.That(interrupted, Is.False);
        Assert.That(seeds, Has.Count.EqualTo(1));
        Assert.That(seeds[0].Summary.FinalEvaluation, Is.Not.Null);
        if (e.Algorithm != "expert") Assert.That(seeds[0].Summary.Steps, Is.EqualTo(e.Steps));
        Directory.Delete(runDir, recursive: true);
    }
}
