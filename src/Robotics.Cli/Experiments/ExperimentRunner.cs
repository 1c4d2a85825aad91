using System.Diagnostics;
using System.Text.Json;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Logging;
using Robotics.Agents.Training;
using Robotics.Cli.Commands;
using Robotics.Cli.Training;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Vision;

namespace Robotics.Cli.Experiments;

/// <summary>
/// `robo run`: one run directory per experiment, holding the file, run.json (name, task, algorithm, git commit,
/// seeds) and a seed-S/ run directory per seed. Resuming skips finished seeds and continues the others from
/// their latest checkpoint.
/// </summary>
public static class ExperimentRunner
{
    public sealed record SeedResult(int Seed, string Directory, TrainingSummary Summary);

    public static (string RunDirectory, IReadOnlyList<SeedResult> Seeds, bool Interrupted) Run(
        Experiment e, string experimentPath, string runDir, bool resume)
    {
        using var runLock = RunDirectoryLock.Acquire(runDir);
        var copy = Path.Combine(runDir, "experiment.yaml");
        // Rerunning a run's own copy (robo run RUN/experiment.yaml --out RUN) leaves it as it is.
        if (!resume && Path.GetFullPath(experimentPath) != Path.GetFullPath(copy)) File.Copy(experimentPath, copy, overwrite: true);
        var runInfo = Path.Combine(runDir, "run.json");
        if (!resume || !File.Exists(runInfo))
            File.WriteAllText(runInfo, JsonSerializer.Serialize(new
            {
                name = e.Name, task = e.Task, algorithm = e.Algorithm, reward = e.Reward.Source, control = e.Control,
                git_commit = GitCommit(), seeds = e.SeedList, started = DateTimeOffset.UtcNow,
            }, new JsonSerializerOptions { WriteIndented = true }));

        string? dataset = e.DatasetPath(experimentPath);
        if (e.Collect is { } collect && e.Algorithm is "iql" or "bc")
        {
            dataset = Path.Combine(runDir, "dataset.npz");
            if (!File.Exists(dataset)) CollectDataset(e.Task, collect, dataset);
        }

        var rewardProgram = PrepareReward(e, experimentPath, runDir, resume);
        PrefsExperiments.Prepare(e, runDir, resume);
        if (e.Reward.Source == "rl-vlm-f" && !PrefsExperiments.Handles(e)) dataset = VlmRewards.RelabelDataset(e, experimentPath, runDir, dataset!, resume);
        // One CLIP model serves every env copy and seed of the run.
        using var frameReward = e.Reward.Source == "vlm-rm" ? VlmRewards.LoadVlmRm(e, experimentPath) : null;
        var results = new List<SeedResult>();
        foreach (var seed in e.SeedList)
        {
            var seedDir = Path.Combine(runDir, $"seed-{seed}");
            var finished = Path.Combine(seedDir, "summary.json");
            if (resume && File.Exists(finished) && !JsonDocument.Parse(File.ReadAllText(finished)).RootElement.GetProperty("interrupted").GetBoolean())
                continue; // done before the interruption
            var latest = Path.Combine(seedDir, "checkpoints", "latest.ckpt");
            var summary = e.Algorithm == "expert"
                ? RunExpert(e, seed, seedDir, rewardProgram)
                : PrefsExperiments.Handles(e) ? PrefsExperiments.RunSeed(e, experimentPath, seed, seedDir, runDir)
                : TrainingLauncher.Launch(Request(e, dataset, seed, seedDir, resume && File.Exists(latest) ? latest : null, rewardProgram) with
                {
                    // SAC: frames labelled in batches into the replay buffer; PPO: one CLIP forward per env step.
                    WrapEnv = frameReward is null || e.Algorithm == "sac" ? null : env => new FrameRewardWrapper(env, frameReward, e.Reward.Camera),
                    SacReward = frameReward is null || e.Algorithm != "sac" ? null : logger => VlmRewards.Batched(e, frameReward, logger),
                    RewardName = frameReward is null ? null : "vlm-rm",
                }).Summary;
            results.Add(new SeedResult(seed, seedDir, summary));
            if (summary.Interrupted) return (runDir, results, true);
        }
        return (runDir, results, false);
    }

    public static TrainRequest Request(Experiment e, string? dataset, int seed, string seedDir, string? resumeFrom, string? rewardProgram = null) => new()
    {
        Task = e.Task,
        Algorithm = e.Algorithm,
        Steps = e.Steps,
        Seed = seed,
        Out = seedDir,
        Device = e.Device,
        Threads = e.Threads,
        Resume = resumeFrom,
        EvalEvery = e.Evaluation.Every,
        EvalEpisodes = e.Evaluation.Episodes,
        FinalPolicy = e.Evaluation.FinalPolicy,
        CheckpointEvery = e.CheckpointEvery,
        CheckpointReplayBuffer = e.CheckpointReplay,
        Video = e.Video,
        Dataset = dataset,
        Sac = e.Sac,
        Ppo = e.Ppo,
        Iql = e.Iql,
        Bc = e.Bc,
        EnvOptions = EnvOptions(e),
        RewardProgram = rewardProgram,
    };

    /// <summary>
    /// The reward program every seed trains with, kept as reward/program.cs in the experiment's run directory (where
    /// reports look): the experiment's file for source: program; for source: text2reward, one generated now (prompts
    /// and replies under reward/), or on resume the one generated before. Null for the task's own rewards.
    /// </summary>
    private static string? PrepareReward(Experiment e, string experimentPath, string runDir, bool resume)
    {
        var kept = Path.Combine(runDir, RewardProgramFile.ProgramFile);
        switch (e.Reward.Source)
        {
            case "program":
                Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
                File.Copy(e.Reward.FilePath(experimentPath)!, kept, overwrite: true);
                return kept;
            case "text2reward":
                if (resume && File.Exists(kept)) return kept;
                var task = FrankaSuite.CreateTask(e.Task);
                var result = RewardCommand.RunGeneration(new RewardCommand.GenerationSettings(
                    e.Task, e.Reward.Instruction ?? task.Instruction, LlmSettings.FromEnvironment(e.Reward.Model, e.Reward.BaseUrl), e.Reward.Rounds, runDir)
                {
                    Log = line => Console.WriteLine($"text2reward: {line}"),
                });
                if (!result.Ok)
                    throw new InvalidOperationException($"text2reward: no program passed in {result.Rounds.Count} rounds (see {Path.Combine(runDir, "reward", "rounds")}); the last errors:\n{result.LastErrors}");
                return kept;
            default:
                return null;
        }
    }

    public static FrankaEnvOptions EnvOptions(Experiment e) => FrankaEnvOptions.Default with
    {
        Control = e.Control == "joint_delta" ? ControlMode.JointDelta : ControlMode.EndEffector,
        Reward = e.Reward.Source == "sparse" ? RewardType.Sparse : RewardType.Dense,
    };

    /// <summary>The scripted expert's rollouts, written like a training run's evaluation (metrics, video, summary).</summary>
    private static TrainingSummary RunExpert(Experiment e, int seed, string seedDir, string? rewardProgram)
    {
        if (e.Control != "end_effector") throw new ArgumentException("the scripted experts drive the end effector; use control: end_effector with algorithm: expert");
        using var logger = new MetricsLogger(seedDir);
        var options = EnvOptions(e);
        var frankaEnv = new FrankaEnv(FrankaSuite.CreateTask(e.Task), options);
        using var reward = rewardProgram is null ? null : RewardProgramFile.Load(rewardProgram, seedDir);
        using var env = reward?.Wrap(new Core.Wrappers.TimeLimit(frankaEnv, options.MaxEpisodeSteps)) ?? new Core.Wrappers.TimeLimit(frankaEnv, options.MaxEpisodeSteps);
        var clock = Stopwatch.StartNew();
        var ctx = new TrainingContext
        {
            MakeEnv = () => throw new InvalidOperationException("expert rollouts use their own env"),
            RunDirectory = seedDir, Logger = logger, Seed = seed, EvalEpisodes = e.Episodes,
        };
        // The expert reads the env's state view, so it is evaluated on the env it can see.
        var result = ctx.EvaluateOn(env, new ExpertPolicy(frankaEnv), step: 0, e.Video ? "final" : null);
        var summary = new TrainingSummary("expert", 0, clock.Elapsed.TotalSeconds, 0, result, null, false,
                                          e.Video ? Path.Combine(ctx.VideoDirectory, "final.mp4") : null);
        File.WriteAllText(Path.Combine(seedDir, "summary.json"), JsonSerializer.Serialize(TrainingLauncher.Describe(summary, seedDir), new JsonSerializerOptions { WriteIndented = true }));
        return summary;
    }

    /// <summary>What `robo collect --policy expert` records, written where the run's seeds all read it.</summary>
    private static void CollectDataset(string task, CollectSection c, string path)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var offset = new System.Numerics.Vector3(c.GoalOffset[0], c.GoalOffset[1], c.GoalOffset[2]);
        var rollout = new Envs.Experts.ExpertRollout(env, c.Noise, new Core.Seeding.Rng(c.Seed).Spawn(), offset, c.OffsetFraction);
        var data = Core.Data.TransitionDataset.Allocate(c.Episodes * rollout.MaxEpisodeSteps, FrankaEnv.ObservationSize, env.ActionSpace.Dimension);
        for (int i = 0; i < c.Episodes; i++) rollout.Run(c.Seed + i, data, i * rollout.MaxEpisodeSteps);
        var temporary = path + ".tmp";
        data.Save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The commit the run was made from, or "unknown" outside a git checkout.</summary>
    public static string GitCommit()
    {
        try
        {
            var root = Environment.GetEnvironmentVariable("ROBOTICS_ROOT") ?? Directory.GetCurrentDirectory();
            var info = new ProcessStartInfo("git", $"-C \"{root}\" rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var git = Process.Start(info)!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && commit.Length >= 7 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
