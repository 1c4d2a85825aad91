using Robotics.Cli.Training;
using System.Text.Json;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
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
/// SAC runs whose reward is learned from preferences, launched as `robo train` launches SAC (TrainingLauncher.Launch,
/// so the run directory, progress bar, Ctrl-C and final policy are the same). PEBBLE: the preference learner hooked
/// into SAC's loop (SacRewardHooks: AfterStep, CriticReset) and the training env rewarded by the learned model; a
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
        sac.Validate();
        var runDir = request.Out ?? Path.Combine("runs", $"{request.Task}__pebble__{request.Seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
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
        try
        {
            var (summary, _) = TrainingLauncher.Launch(SacOnLearnedReward(request.Task, request.Seed, runDir, sac, request.Run) with
            {
                RewardName = "Pebble",
                ConfigExtras = new Dictionary<string, object?>
                {
                    ["reward"] = vlm ? "rl-vlm-f" : "pebble", ["teacher"] = vlm ? "vlm" : request.Teacher, ["teacher_parameters"] = teacherConfig,
                    ["vlm"] = request.Vlm is { } v ? new { goal = v.Goal, model = v.Llm.Model, base_url = v.Llm.BaseUrl, requests_per_minute = v.RequestsPerMinute, concurrency = v.Concurrency, cache = v.CachePath } : null,
                    ["pebble"] = request.Pebble, ["sampling"] = request.Pebble.Sampling.ToString().ToLowerInvariant(),
                    ["aggregation"] = request.Pebble.RewardModel.Aggregation.ToString().ToLowerInvariant(),
                },
                // The reward model is made once the run's seed is set and its logger exists (the learner logs its sessions).
                SacReward = logger =>
                {
                    manual_seed(request.Seed);
                    learner = new PebbleLearner(request.Pebble, actionSize: 4, teacher, request.Seed, (step, metrics) => logger.Log(step, metrics), request.Task);
                    return new SacRewardHooks
                    {
                        WrapTrainingEnv = learner.WrapTrainingEnv, AfterStep = learner.AfterStep, CriticReset = learner.CriticReset,
                        Label = () => $"{request.Task} pebble {learner.Feedback} labels",
                    };
                },
            });
            learner!.Model.Save(Path.Combine(runDir, RewardDirectory, "model.safetensors"));
            learner.Dataset.Save(Path.Combine(runDir, RewardDirectory, "queries.safetensors"));
            File.WriteAllText(Path.Combine(runDir, "summary.json"),
                JsonSerializer.Serialize(Describe(summary, runDir, learner, (teacher as VlmTeacher)?.Stats), new JsonSerializerOptions { WriteIndented = true }));
            return (summary, runDir, learner);
        }
        catch
        {
            learner?.Dispose();
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
        manual_seed(seed);
        using var model = new RewardEnsemble(4, modelConfig, seed);
        model.Load(modelPath);
        return TrainingLauncher.Launch(SacOnLearnedReward(task, seed, runDir, sac, settings) with
        {
            RewardName = "Learned",
            ConfigExtras = new Dictionary<string, object?> { ["reward"] = "learned", ["reward_model"] = Path.GetFullPath(modelPath) },
            SacReward = _ => new SacRewardHooks { WrapTrainingEnv = env => new RewardSourceWrapper(env, model), Label = () => $"{task} learned reward" },
        });
    }

    /// <summary>`robo train`'s request for SAC on a reward learned from preferences: the run's evaluation and checkpoint settings, the task's own env.</summary>
    private static TrainRequest SacOnLearnedReward(string task, int seed, string runDir, SacConfig sac, SacRunSettings settings) => new()
    {
        Task = task, Algorithm = "sac", Seed = seed, Out = runDir, Sac = sac,
        EvalEvery = settings.EvalEvery, EvalEpisodes = settings.EvalEpisodes, CheckpointEvery = settings.CheckpointEvery,
        Video = settings.Video, FinalPolicy = settings.FinalPolicyBest ? "best" : "last",
    };

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
}
