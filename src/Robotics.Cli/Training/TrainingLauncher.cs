using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Agents.Iql;
using Robotics.Agents.Logging;
using Robotics.Agents.Ppo;
using Robotics.Agents.Sac;
using Robotics.Core.Data;
using Robotics.Agents.Training;
using Robotics.Core.Envs;
using Robotics.Envs;
using Robotics.Rewards.Programs;
using Robotics.Torch;
using Spectre.Console;
using static Robotics.Torch.torch;

namespace Robotics.Cli.Training;

/// <summary>One training run as the CLI asks for it (`robo train`, and experiment files through `robo run`).</summary>
public sealed record TrainRequest
{
    public required string Task { get; init; }
    public required string Algorithm { get; init; }
    public long? Steps { get; init; }
    public string? Dataset { get; init; }
    public int Seed { get; init; }
    public string? Out { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch intra-op threads; 0 = the shim's default (1, or ROBOTICS_TORCH_THREADS).</summary>
    public int Threads { get; init; }
    public string? Resume { get; init; }
    public long EvalEvery { get; init; } = 10_000;
    public int EvalEpisodes { get; init; } = 10;
    public long CheckpointEvery { get; init; } = 10_000;
    public bool CheckpointReplayBuffer { get; init; }
    public bool Video { get; init; } = true;
    /// <summary>"last": the final evaluation and video are of the last policy; "best": of the best evaluated one (checkpoints/best.ckpt).</summary>
    public string FinalPolicy { get; init; } = "last";
    public SacConfig Sac { get; init; } = new();
    public PpoConfig Ppo { get; init; } = new();
    public IqlConfig Iql { get; init; } = new();
    public BcConfig Bc { get; init; } = new();
    public Envs.Franka.FrankaEnvOptions EnvOptions { get; init; } = Envs.Franka.FrankaEnvOptions.Default;
    /// <summary>A reward program (C# file) whose reward replaces the task's in every env of the run; null keeps the task's.</summary>
    public string? RewardProgram { get; init; }
    /// <summary>Wraps every env of the run (after the reward program, if any): how frame-based rewards (vlm-rm) replace the task's.</summary>
    public Func<IEnv, IEnv>? WrapEnv { get; init; }
    /// <summary>What the checkpoint and config.json call the reward when <see cref="WrapEnv"/> or <see cref="SacReward"/> replaces it.</summary>
    public string? RewardName { get; init; }
    /// <summary>
    /// A reward that works inside SAC's loop (vlm-rm labelling the replay buffer in batches, PEBBLE learning from
    /// preferences, a learned reward model), made once the run's logger exists so it can log what it does.
    /// </summary>
    public Func<MetricsLogger, SacRewardHooks>? SacReward { get; init; }
    /// <summary>More entries for config.json (a learned reward's teacher and schedule), beside the launcher's own.</summary>
    public IReadOnlyDictionary<string, object?> ConfigExtras { get; init; } = new Dictionary<string, object?>();
}

/// <summary>
/// How a reward that works inside SAC's loop plugs into it: env wrappers, and the loop's hooks
/// (<see cref="TrainingContext.AfterStep"/>, <see cref="TrainingContext.BeforeCheckpoint"/>, <see cref="TrainingContext.CriticReset"/>).
/// </summary>
public sealed record SacRewardHooks
{
    /// <summary>Wraps every env, training and evaluation, after every other wrapper (vlm-rm's frame queue).</summary>
    public Func<IEnv, IEnv>? WrapEnv { get; init; }
    /// <summary>Wraps the training env only, so evaluation keeps the task's reward (PEBBLE's and other learned rewards).</summary>
    public Func<IEnv, IEnv>? WrapTrainingEnv { get; init; }
    public Action<long, Agents.Buffers.ReplayBuffer>? AfterStep { get; init; }
    public Action<Agents.Buffers.ReplayBuffer>? BeforeCheckpoint { get; init; }
    public Func<long, int>? CriticReset { get; init; }
    /// <summary>The env's step rewards are placeholders that AfterStep replaces in the buffer (<see cref="TrainingContext.PlaceholderRewards"/>).</summary>
    public bool PlaceholderRewards { get; init; }
    /// <summary>What the progress bar calls the run, asked at every update (PEBBLE counts its labels); null: "{task} sac".</summary>
    public Func<string>? Label { get; init; }
}

/// <summary>
/// Makes the run directory ({task}__{algo}__{seed}__{unixtime}, CleanRL's naming), wires env, logger,
/// progress bar and Ctrl-C into a <see cref="TrainingContext"/>, and hands it to the algorithm's loop.
/// </summary>
public static class TrainingLauncher
{
    public static readonly string[] Algorithms = ["sac", "ppo", "iql", "bc"];
    private static readonly string[] Offline = ["iql", "bc"];

    public static (TrainingSummary Summary, string RunDirectory) Launch(TrainRequest request)
    {
        if (!Algorithms.Contains(request.Algorithm))
            throw new ArgumentException($"unknown algorithm '{request.Algorithm}'; choose one of: {string.Join(", ", Algorithms)}");
        FrankaSuite.CreateTask(request.Task); // fails early, naming the known tasks
        if (request.Steps is <= 0) throw new ArgumentException($"--steps must be positive, got {request.Steps}");
        var device = ParseDevice(request.Device);
        // More libtorch threads than idle cores oversubscribe with OpenBLAS and slow every update several-fold,
        // so the shim's single thread stays unless asked.
        if (request.Threads > 0) set_num_threads(request.Threads);
        TransitionDataset? dataset = null;
        if (Offline.Contains(request.Algorithm))
        {
            if (request.Dataset is null) throw new ArgumentException($"{request.Algorithm} learns offline: give a dataset (--dataset data.npz, made by `robo collect`)");
            dataset = TransitionDataset.Load(request.Dataset);
        }
        else if (request.Dataset is not null) throw new ArgumentException($"{request.Algorithm} learns online; --dataset is for iql and bc");

        var runDir = request.Out ?? Path.Combine("runs", $"{request.Task}__{request.Algorithm}__{request.Seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        if (request.SacReward is not null && request.Algorithm != "sac")
            throw new ArgumentException($"a reward that works inside SAC's loop (vlm-rm, pebble, a learned reward) needs sac, not {request.Algorithm}");
        if (request.Sac.HerGoals > 0 && request.Algorithm != "sac")
            throw new ArgumentException($"HER (her goals {request.Sac.HerGoals}) relabels SAC's replay buffer; {request.Algorithm} has none");
        if (request.Sac.HerGoals > 0 && (request.RewardProgram is not null || request.WrapEnv is not null || request.SacReward is not null))
            throw new ArgumentException("HER recomputes the task's own reward for hindsight goals, so it cannot train on a reward program, a learned or a VLM reward");
        if (request.Resume is not null && !File.Exists(request.Resume)) throw new FileNotFoundException($"checkpoint to resume from not found: '{request.Resume}'", request.Resume);
        using var runLock = RunDirectoryLock.Acquire(runDir);
        long? steps = request.Steps;
        var sac = steps is long s ? request.Sac with { TotalSteps = s, LearningStarts = (int)Math.Min(request.Sac.LearningStarts, Math.Max(1, s / 10)) } : request.Sac;
        var ppo = steps is long p ? request.Ppo with { TotalSteps = p } : request.Ppo;
        var iql = steps is long q ? request.Iql with { TotalSteps = q } : request.Iql;
        var bc = steps is long b ? request.Bc with { TotalSteps = b } : request.Bc;
        object hyperparameters = request.Algorithm switch { "sac" => sac, "ppo" => ppo, "iql" => iql, _ => bc };
        long totalSteps = request.Algorithm switch { "sac" => sac.TotalSteps, "ppo" => ppo.TotalSteps, "iql" => iql.TotalSteps, _ => bc.TotalSteps };
        // The program is compiled once for the run (every env shares it) and kept in the run as reward/program.cs.
        using var rewardProgram = request.RewardProgram is null ? null : RewardProgramFile.Load(request.RewardProgram, runDir);
        var rewardName = request.RewardName ?? (rewardProgram is null ? request.EnvOptions.Reward.ToString() : "Program");
        var config = JsonSerializer.SerializeToNode(new
        {
            task = request.Task, algorithm = request.Algorithm, seed = request.Seed, steps = totalSteps, dataset = request.Dataset,
            device = request.Device, control = request.EnvOptions.Control.ToString(), reward = rewardName,
            reward_program = rewardProgram is null ? null : RewardProgramFile.ProgramFile,
            hyperparameters,
        })!.AsObject();
        foreach (var (key, value) in request.ConfigExtras) config[key] = JsonSerializer.SerializeToNode(value);
        File.WriteAllText(Path.Combine(runDir, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        using var logger = new MetricsLogger(runDir);
        using var stop = new StopSignal(); // Ctrl-C and SIGTERM stop the loop cleanly
        var hooks = request.SacReward?.Invoke(logger);
        string Label() => hooks?.Label?.Invoke() ?? $"{request.Task} {request.Algorithm}";

        TrainingSummary summary = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var bar = progress.AddTask(Label(), maxValue: totalSteps);
                IEnv MakeEnv()
                {
                    var env = rewardProgram is null
                        ? FrankaSuite.Make(request.Task, request.EnvOptions)
                        : rewardProgram.Wrap(FrankaSuite.Make(request.Task, request.EnvOptions));
                    env = request.WrapEnv?.Invoke(env) ?? env;
                    return hooks?.WrapEnv?.Invoke(env) ?? env;
                }
                var ctx = new TrainingContext
                {
                    MakeEnv = MakeEnv,
                    MakeTrainingEnv = hooks?.WrapTrainingEnv is { } wrapTraining ? () => wrapTraining(MakeEnv()) : null,
                    AfterStep = hooks?.AfterStep,
                    BeforeCheckpoint = hooks?.BeforeCheckpoint,
                    CriticReset = hooks?.CriticReset,
                    PlaceholderRewards = hooks?.PlaceholderRewards ?? false,
                    RunDirectory = runDir,
                    Logger = logger,
                    Seed = request.Seed,
                    Device = device,
                    EvalEvery = request.EvalEvery,
                    EvalEpisodes = request.EvalEpisodes,
                    CheckpointEvery = request.CheckpointEvery,
                    LogEvery = Math.Clamp(totalSteps / 20, 1, 1000), // short runs still log their losses
                    CheckpointReplayBuffer = request.CheckpointReplayBuffer,
                    FinalVideo = request.Video,
                    LoadBestAtEnd = request.FinalPolicy == "best",
                    ResumeFrom = request.Resume,
                    CheckpointMetadata = new Dictionary<string, string>
                    {
                        ["task"] = request.Task,
                        ["control"] = request.EnvOptions.Control.ToString(),
                        ["reward"] = rewardName,
                    },
                    Cancellation = stop.Token,
                    Progress = new Progress(p =>
                    {
                        bar.Value = p.Step;
                        bar.Description = $"{Label()} {p.StepsPerSecond:F0} steps/s" +
                                          (p.LastSuccessRate is double sr ? $" success {sr:P0}" : "");
                    }),
                };
                summary = request.Algorithm switch
                {
                    "sac" => Sac.Train(sac, ctx),
                    "ppo" => Ppo.Train(ppo, ctx),
                    "iql" => Iql.Train(iql, dataset!, ctx),
                    "bc" => BehaviorCloning.Train(bc, dataset!, ctx),
                    _ => throw new ArgumentException($"unknown algorithm '{request.Algorithm}'"),
                };
                bar.Value = bar.MaxValue;
            });
        File.WriteAllText(Path.Combine(runDir, "summary.json"), JsonSerializer.Serialize(Describe(summary, runDir), new JsonSerializerOptions { WriteIndented = true }));
        if (rewardProgram?.Errors.Count > 0)
            Console.Error.WriteLine($"robo: warning: the reward program failed on {rewardProgram.Errors.Count} steps, which got reward 0; see {Path.Combine(runDir, RewardProgramFile.ErrorsFile)}");
        return (summary, runDir);
    }

    /// <summary>The JSON object `robo train` prints on its last line and writes to summary.json.</summary>
    public static object Describe(TrainingSummary s, string runDir) => new
    {
        run_dir = Path.GetFullPath(runDir),
        algorithm = s.Algorithm,
        steps = s.Steps,
        seconds = Math.Round(s.Seconds, 2),
        steps_per_sec = Math.Round(s.StepsPerSecond, 1),
        success_rate = s.FinalEvaluation?.SuccessRate,
        mean_return = s.FinalEvaluation?.MeanReturn,
        // The step whose policy success_rate and the video are of (the last step, or the best one's with final_policy: best).
        policy_step = s.PolicyStep,
        best_step = s.BestStep,
        best_success_rate = s.BestSuccessRate,
        best_checkpoint = s.BestStep is null ? null : Path.Combine(Path.GetFullPath(runDir), "checkpoints", "best.ckpt"),
        checkpoint = s.LastCheckpoint,
        video = s.Video,
        interrupted = s.Interrupted,
    };

    private static Device ParseDevice(string name) => name switch
    {
        "cpu" => Robotics.Torch.Device.CPU,
        "cuda" when cuda.is_available() => torch.device(DeviceType.CUDA, 0),
        "cuda" => throw new ArgumentException("device 'cuda' was asked for, but libtorch sees no CUDA device (build the shim against a CUDA libtorch with LIBTORCH_DIR)"),
        _ => throw new ArgumentException($"unknown device '{name}'; use cpu or cuda"),
    };

    /// <summary>Progress reported on the training thread itself (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
