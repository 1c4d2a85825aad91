using Robotics.Cli.Training;
using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Agents.Buffers;
using Robotics.Agents.Logging;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Human;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Sources;
using Robotics.Rewards.Vision.RlVlmF;
using Spectre.Console;
using static Robotics.Torch.torch;

namespace Robotics.Cli.Commands;

/// <summary>One SAC run on a learned preference reward, as `robo prefs pebble` and experiment files ask for it.</summary>
public sealed record PebbleRequest
{
    public required string Task { get; init; }
    public string Teacher { get; init; } = "oracle";
    public int Seed { get; init; }
    public string? Out { get; init; }
    public SacRunSettings Run { get; init; } = new();
    public SacConfig Sac { get; init; } = new();
    public PebbleConfig Pebble { get; init; } = new();
    /// <summary>RL-VLM-F online: a VLM answers the queries instead of <see cref="Teacher"/>.</summary>
    public VlmTeacherRequest? Vlm { get; init; }
}

/// <summary>
/// Evaluation, checkpoints and the final policy of a SAC run on a learned reward (experiment files' evaluation section);
/// FinalPolicyBest ends the run with the best evaluated policy (evaluation.final_policy: best) instead of the last.
/// </summary>
public sealed record SacRunSettings(long EvalEvery = 10_000, int EvalEpisodes = 10, long CheckpointEvery = 10_000, bool Video = true, bool FinalPolicyBest = false);

/// <summary>The VLM that answers PEBBLE's queries (RL-VLM-F online), and how it is asked: as for the offline path.</summary>
public sealed record VlmTeacherRequest(string Goal, LlmSettings Llm, double? RequestsPerMinute, int Concurrency, string CachePath);

/// <summary>
/// SAC runs whose reward is learned from preferences. PEBBLE: SAC's own loop (Sac.Train) with the preference
/// learner hooked in through TrainingContext.AfterStep and the training env rewarded by the learned model; a
/// scripted B-Pref teacher with the task's reward answers the queries (or a person, or a VLM shown the last frame of
/// each segment: RL-VLM-F online). A fixed learned reward (e.g. one trained on
/// transferred labels): SAC on an env whose reward the model gives. Run directories are SAC runs' (metrics,
/// checkpoints, video) plus reward/model.safetensors (and reward/queries.safetensors for PEBBLE). Evaluation envs
/// keep the task's own reward, so eval/episodic_return is the true return.
/// </summary>
public static class PrefsTraining
{
    public const string RewardDirectory = "reward";
    /// <summary>The teacher name that puts queries on the local labelling page for a person instead of a script.</summary>
    public const string HumanTeacherName = "human";

    public static (TrainingSummary Summary, string RunDirectory, PebbleLearner Learner) LaunchPebble(PebbleRequest request)
    {
        bool human = request.Teacher == HumanTeacherName, vlm = request.Vlm is not null;
        var teacherConfig = human || vlm ? null : TeacherConfig.Preset(request.Teacher);
        FrankaSuite.CreateTask(request.Task); // fails early, naming the known tasks
        request.Pebble.Validate();
        var sac = request.Sac with
        {
            LearningStarts = request.Pebble.SeedSteps,
            BufferSize = (int)Math.Max(request.Sac.BufferSize, request.Pebble.PretrainingEnd + 1),
        };
        var runDir = request.Out ?? Path.Combine("runs", $"{request.Task}__pebble__{request.Seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        Directory.CreateDirectory(runDir);
        WriteConfig(runDir, new
        {
            task = request.Task, algorithm = "sac", reward = vlm ? "rl-vlm-f" : "pebble", teacher = vlm ? "vlm" : request.Teacher, teacher_parameters = teacherConfig,
            vlm = request.Vlm is { } v ? new { goal = v.Goal, model = v.Llm.Model, base_url = v.Llm.BaseUrl, requests_per_minute = v.RequestsPerMinute, concurrency = v.Concurrency, cache = v.CachePath } : null,
            seed = request.Seed, steps = sac.TotalSteps, hyperparameters = sac,
            pebble = request.Pebble, sampling = request.Pebble.Sampling.ToString().ToLowerInvariant(),
            aggregation = request.Pebble.RewardModel.Aggregation.ToString().ToLowerInvariant(),
        });
        using var logger = new MetricsLogger(runDir);
        manual_seed(request.Seed);
        var truth = new TaskRewardSource(FrankaSuite.CreateTask(request.Task));
        PebbleLearner? learner = null;
        // People and VLMs see the queries' segments rendered by replaying the training episodes the learner recorded.
        using var replayEnv = human || vlm ? new FrankaEnv(FrankaSuite.CreateTask(request.Task)) : null;
        ReplayClips Replay() => new(replayEnv!, learner!.Recorder!.Trajectories);
        using var answers = request.Vlm is { } asked ? new VlmAnswerCache(asked.CachePath) : null;
        IPreferenceTeacher teacher = human
            // A person answers on the local page.
            ? new HumanTeacher(segment => Replay().Render(segment), new PreferenceDataset(request.Pebble.SegmentLength, 4, request.Task),
                               announce: uri => Console.Error.WriteLine($"prefs pebble: queries are waiting at {uri}"))
            : request.Vlm is { } question
            // A VLM compares the last frames of the two segments (RL-VLM-F).
            ? new VlmTeacher(new VlmPreferenceLabeller(new OpenAIVisionChatModel(question.Llm), question.Goal, answers,
                                                       question.RequestsPerMinute is double rpm ? new RequestRateLimiter(rpm) : null, question.Concurrency),
                             segment => Replay().RenderLast(segment))
            : new ScriptedTeacher(truth, teacherConfig!, new Rng(request.Seed + 7_919));
        learner = new PebbleLearner(request.Pebble, actionSize: 4, teacher, request.Seed, (step, metrics) => logger.Log(step, metrics), request.Task);
        try
        {
            var summary = RunSac(request.Task, request.Seed, runDir, sac, logger, "Pebble", learner.WrapEnvFactory(() => FrankaSuite.Make(request.Task)),
                learner.AfterStep, learner.CriticReset, () => $"pebble {learner.Feedback} labels", request.Run);
            learner.Model.Save(Path.Combine(runDir, RewardDirectory, "model.safetensors"));
            learner.Dataset.Save(Path.Combine(runDir, RewardDirectory, "queries.safetensors"));
            File.WriteAllText(Path.Combine(runDir, "summary.json"),
                JsonSerializer.Serialize(Describe(summary, runDir, learner, (teacher as VlmTeacher)?.Stats), new JsonSerializerOptions { WriteIndented = true }));
            return (summary, runDir, learner);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
    }

    /// <summary>SAC on a reward model trained beforehand (saved by <see cref="RewardEnsemble.Save"/> with this config).</summary>
    public static (TrainingSummary Summary, string RunDirectory) LaunchLearnedReward(string task, int seed, string modelPath, RewardModelConfig modelConfig,
        string? output, SacConfig sac, SacRunSettings settings)
    {
        FrankaSuite.CreateTask(task);
        var runDir = output ?? Path.Combine("runs", $"{task}__sac-learned-reward__{seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        Directory.CreateDirectory(Path.Combine(runDir, RewardDirectory));
        File.Copy(modelPath, Path.Combine(runDir, RewardDirectory, "model.safetensors"), overwrite: true);
        WriteConfig(runDir, new { task, algorithm = "sac", reward = "learned", reward_model = Path.GetFullPath(modelPath), seed, steps = sac.TotalSteps, hyperparameters = sac });
        using var logger = new MetricsLogger(runDir);
        manual_seed(seed);
        using var model = new RewardEnsemble(4, modelConfig, seed);
        model.Load(modelPath);
        bool first = true;
        IEnv Make()
        {
            var env = FrankaSuite.Make(task);
            if (!first) return env;
            first = false;
            return new RewardSourceWrapper(env, model);
        }
        var summary = RunSac(task, seed, runDir, sac, logger, "Learned", Make, null, null, () => "learned reward", settings);
        File.WriteAllText(Path.Combine(runDir, "summary.json"), JsonSerializer.Serialize(Cli.Training.TrainingLauncher.Describe(summary, runDir), new JsonSerializerOptions { WriteIndented = true }));
        return (summary, runDir);
    }

    private static void WriteConfig(string runDir, object config) =>
        File.WriteAllText(Path.Combine(runDir, "config.json"), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Sac.Train with the CLI's plumbing: progress bar, Ctrl-C and SIGTERM stop cleanly, checkpoint metadata.</summary>
    private static TrainingSummary RunSac(string task, int seed, string runDir, SacConfig sac, MetricsLogger logger, string rewardName, Func<IEnv> makeEnv,
        Action<long, ReplayBuffer>? afterStep, Func<long, int>? criticReset, Func<string> label, SacRunSettings settings)
    {
        sac.Validate();
        using var stop = new StopSignal(); // Ctrl-C and SIGTERM stop the loop cleanly
        TrainingSummary summary = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var bar = progress.AddTask($"{task} {label()}", maxValue: sac.TotalSteps);
                var ctx = new TrainingContext
                {
                    MakeEnv = makeEnv,
                    AfterStep = afterStep,
                    CriticReset = criticReset,
                    RunDirectory = runDir,
                    Logger = logger,
                    Seed = seed,
                    EvalEvery = settings.EvalEvery,
                    EvalEpisodes = settings.EvalEpisodes,
                    CheckpointEvery = settings.CheckpointEvery,
                    LogEvery = Math.Clamp(sac.TotalSteps / 20, 1, 1000),
                    FinalVideo = settings.Video,
                    LoadBestAtEnd = settings.FinalPolicyBest,
                    CheckpointMetadata = new Dictionary<string, string>
                    {
                        ["task"] = task, ["control"] = ControlMode.EndEffector.ToString(), ["reward"] = rewardName,
                    },
                    Cancellation = stop.Token,
                    Progress = new Progress(p =>
                    {
                        bar.Value = p.Step;
                        bar.Description = $"{task} {label()} {p.StepsPerSecond:F0} steps/s" + (p.LastSuccessRate is double sr ? $" success {sr:P0}" : "");
                    }),
                };
                summary = Sac.Train(sac, ctx);
                bar.Value = bar.MaxValue;
            });
        return summary;
    }

    /// <summary>`robo train`'s summary (TrainingLauncher.Describe) plus the feedback spent and the reward model's last fit (and with a VLM teacher, how its answers ended).</summary>
    public static System.Text.Json.Nodes.JsonObject Describe(TrainingSummary s, string runDir, PebbleLearner learner, PreferenceStats? vlm = null)
    {
        var summary = JsonSerializer.SerializeToNode(Cli.Training.TrainingLauncher.Describe(s, runDir))!.AsObject();
        summary["algorithm"] = "pebble";
        summary["feedback"] = learner.Feedback;
        summary["sessions"] = learner.Sessions;
        summary["reward_train_accuracy"] = learner.LastUpdate?.TrainAccuracy;
        summary["vlm_answers"] = vlm is null ? null : JsonSerializer.SerializeToNode(
            new { asked = vlm.Asked, kept = vlm.Preferred, unsure = vlm.Unsure, malformed = vlm.Malformed, failed = vlm.Failed, cached = vlm.Cached });
        summary["reward_model"] = Path.Combine(Path.GetFullPath(runDir), RewardDirectory, "model.safetensors");
        return summary;
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
