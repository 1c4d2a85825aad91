using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Agents.Logging;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using Spectre.Console;
using static Robotics.Torch.torch;

namespace Robotics.Cli.Commands;

/// <summary>One PEBBLE run as `robo prefs pebble` (and an experiment file with reward source pebble) asks for it.</summary>
public sealed record PebbleRequest
{
    public required string Task { get; init; }
    public string Teacher { get; init; } = "oracle";
    public int Seed { get; init; }
    public string? Out { get; init; }
    public long EvalEvery { get; init; } = 10_000;
    public int EvalEpisodes { get; init; } = 10;
    public long CheckpointEvery { get; init; } = 10_000;
    public bool Video { get; init; } = true;
    public SacConfig Sac { get; init; } = new();
    public PebbleConfig Pebble { get; init; } = new();
}

/// <summary>
/// Runs PEBBLE: SAC's own loop (Sac.Train) with the preference learner hooked in through TrainingContext.AfterStep
/// and the training env rewarded by the learned model; a scripted B-Pref teacher with the task's reward answers the
/// queries. The run directory is a SAC run's (metrics, checkpoints, video) plus reward/model.safetensors and
/// reward/queries.safetensors.
/// </summary>
public static class PrefsTraining
{
    public const string RewardDirectory = "reward";

    public static (TrainingSummary Summary, string RunDirectory, PebbleLearner Learner) LaunchPebble(PebbleRequest request)
    {
        var teacherConfig = TeacherConfig.Preset(request.Teacher);
        FrankaSuite.CreateTask(request.Task); // fails early, naming the known tasks
        var sac = request.Sac with
        {
            LearningStarts = request.Pebble.SeedSteps,
            BufferSize = (int)Math.Max(request.Sac.BufferSize, request.Pebble.PretrainingEnd + 1),
        };
        sac.Validate();
        request.Pebble.Validate();
        var runDir = request.Out ?? Path.Combine("runs", $"{request.Task}__pebble__{request.Seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        Directory.CreateDirectory(Path.Combine(runDir, RewardDirectory));
        File.WriteAllText(Path.Combine(runDir, "config.json"), JsonSerializer.Serialize(new
        {
            task = request.Task, algorithm = "sac", reward = "pebble", teacher = request.Teacher, teacher_parameters = teacherConfig,
            seed = request.Seed, steps = sac.TotalSteps, hyperparameters = sac,
            pebble = request.Pebble, sampling = request.Pebble.Sampling.ToString().ToLowerInvariant(),
        }, new JsonSerializerOptions { WriteIndented = true }));

        using var logger = new MetricsLogger(runDir);
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (cancel.IsCancellationRequested) return;
            context.Cancel = true;
            cancel.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        manual_seed(request.Seed);
        var truth = new TaskRewardSource(FrankaSuite.CreateTask(request.Task));
        var teacher = new ScriptedTeacher(truth, teacherConfig, new Rng(request.Seed + 7_919));
        var learner = new PebbleLearner(request.Pebble, actionSize: 4, teacher, request.Seed, (step, metrics) => logger.Log(step, metrics), request.Task);
        try
        {
            TrainingSummary summary = null!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(progress =>
                {
                    var bar = progress.AddTask($"{request.Task} pebble", maxValue: sac.TotalSteps);
                    var ctx = new TrainingContext
                    {
                        MakeEnv = learner.WrapEnvFactory(() => FrankaSuite.Make(request.Task)),
                        AfterStep = learner.AfterStep,
                        RunDirectory = runDir,
                        Logger = logger,
                        Seed = request.Seed,
                        EvalEvery = request.EvalEvery,
                        EvalEpisodes = request.EvalEpisodes,
                        CheckpointEvery = request.CheckpointEvery,
                        LogEvery = Math.Clamp(sac.TotalSteps / 20, 1, 1000),
                        FinalVideo = request.Video,
                        CheckpointMetadata = new Dictionary<string, string>
                        {
                            ["task"] = request.Task, ["control"] = ControlMode.EndEffector.ToString(), ["reward"] = "Pebble",
                        },
                        Cancellation = cancel.Token,
                        Progress = new Progress(p =>
                        {
                            bar.Value = p.Step;
                            bar.Description = $"{request.Task} pebble {learner.Feedback} labels {p.StepsPerSecond:F0} steps/s" +
                                              (p.LastSuccessRate is double sr ? $" success {sr:P0}" : "");
                        }),
                    };
                    summary = Sac.Train(sac, ctx);
                    bar.Value = bar.MaxValue;
                });
            learner.Model.Save(Path.Combine(runDir, RewardDirectory, "model.safetensors"));
            learner.Dataset.Save(Path.Combine(runDir, RewardDirectory, "queries.safetensors"));
            File.WriteAllText(Path.Combine(runDir, "summary.json"), JsonSerializer.Serialize(Describe(summary, runDir, learner), new JsonSerializerOptions { WriteIndented = true }));
            return (summary, runDir, learner);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
    }

    /// <summary>`robo train`'s summary plus the feedback spent and the reward model's last fit.</summary>
    public static object Describe(TrainingSummary s, string runDir, PebbleLearner learner) => new
    {
        run_dir = Path.GetFullPath(runDir),
        algorithm = "pebble",
        steps = s.Steps,
        seconds = Math.Round(s.Seconds, 2),
        steps_per_sec = Math.Round(s.StepsPerSecond, 1),
        success_rate = s.FinalEvaluation?.SuccessRate,
        mean_return = s.FinalEvaluation?.MeanReturn,
        feedback = learner.Feedback,
        sessions = learner.Sessions,
        reward_train_accuracy = learner.LastUpdate?.TrainAccuracy,
        reward_model = Path.Combine(Path.GetFullPath(runDir), RewardDirectory, "model.safetensors"),
        checkpoint = s.LastCheckpoint,
        video = s.Video,
        interrupted = s.Interrupted,
    };

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
