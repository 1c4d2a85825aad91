using System.Diagnostics;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Logging;
using Robotics.Core.Envs;
using Robotics.Core.Video;
using Robotics.Torch;

namespace Robotics.Agents.Training;

/// <summary>Progress as the loops report it (the CLI draws a bar from it).</summary>
public readonly record struct TrainingProgress(long Step, long TotalSteps, double StepsPerSecond, double? LastSuccessRate);

/// <summary>
/// What every training loop shares and no algorithm should reimplement: the run directory, the env
/// factory, metrics, the evaluation and checkpoint schedules, progress and cancellation (Ctrl-C).
/// Algorithms own their loops; this only holds the plumbing they call.
/// </summary>
public sealed class TrainingContext
{
    /// <summary>Makes a fresh env (already time-limited); called for training and for evaluation copies.</summary>
    public required Func<IEnv> MakeEnv { get; init; }
    /// <summary>
    /// Makes the env SAC trains in when it differs from the evaluation envs (a learned reward pays the training env,
    /// while evaluation keeps the task's reward so eval/episodic_return stays the true return). Null: <see cref="MakeEnv"/>.
    /// </summary>
    public Func<IEnv>? MakeTrainingEnv { get; init; }
    public required string RunDirectory { get; init; }
    public required MetricsLogger Logger { get; init; }
    public int Seed { get; init; }
    public Device Device { get; init; } = Device.CPU;
    /// <summary>Evaluate every this many env steps (0 = only at the end).</summary>
    public long EvalEvery { get; init; } = 10_000;
    public int EvalEpisodes { get; init; } = 10;
    /// <summary>Checkpoint every this many env steps (0 = only at the end).</summary>
    public long CheckpointEvery { get; init; } = 10_000;
    /// <summary>Log training losses every this many env steps.</summary>
    public long LogEvery { get; init; } = 1_000;
    /// <summary>Record an MP4 of one deterministic episode after training.</summary>
    public bool FinalVideo { get; init; } = true;
    /// <summary>Also store the replay buffer in checkpoints (large, needed for an exact resume of off-policy runs).</summary>
    public bool CheckpointReplayBuffer { get; init; }
    /// <summary>A checkpoint to continue from.</summary>
    public string? ResumeFrom { get; init; }
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>What the checkpoint should say about the env (task, control, reward), so `robo eval` can rebuild it.</summary>
    public IReadOnlyDictionary<string, string> CheckpointMetadata { get; init; } = new Dictionary<string, string>();
    public CancellationToken Cancellation { get; init; }
    /// <summary>
    /// Off-policy loops call this after each env step, once the transition is stored, with the number of steps done
    /// and the replay buffer: a learned reward relabels the buffer here (PEBBLE), or writes an intrinsic reward into
    /// it before a reward model exists. No gradient update runs while it does. Null: nothing is called.
    /// </summary>
    public Action<long, Buffers.ReplayBuffer>? AfterStep { get; init; }
    /// <summary>
    /// Asked right after <see cref="AfterStep"/>: a positive count means the buffer's rewards have just changed meaning
    /// (PEBBLE's first learned reward replacing the exploration reward), so values learned from the old ones would
    /// mislead. The loop then re-initialises the critics and runs that many gradient updates before going on (B-Pref's
    /// reset_critic and update_after_reset). Null or 0: nothing happens.
    /// </summary>
    public Func<long, int>? CriticReset { get; init; }
    /// <summary>
    /// Restore the best evaluated policy (checkpoints/best.ckpt) before the final evaluation and video, as Hugging Face's
    /// Trainer does with load_best_model_at_end: a run whose policy got worse after its best evaluation ends with the
    /// best one, evaluated on held-out seeds (<see cref="HeldOutSeedOffset"/>). The learning curves keep every scheduled
    /// evaluation as it was; the summary says which step's policy the final evaluation is of. Off: the final
    /// evaluation is of the last policy.
    /// </summary>
    public bool LoadBestAtEnd { get; init; }
    /// <summary>
    /// Off-policy loops call this before writing a checkpoint (the replay buffer may be in it): a reward that labels
    /// the buffer in batches labels the rows still waiting, so a resumed run finds every stored reward real.
    /// </summary>
    public Action<Buffers.ReplayBuffer>? BeforeCheckpoint { get; init; }
    /// <summary>
    /// True when the env's step rewards are placeholders and <see cref="AfterStep"/> writes the real ones into the
    /// replay buffer (a frame reward labelled in batches), every row of an episode by the end of its last step. The
    /// loop then logs each episode's return summed from the buffer, never from the placeholders.
    /// </summary>
    public bool PlaceholderRewards { get; init; }

    /// <summary>Evaluation episodes use seeds from here on, far from training seeds.</summary>
    public const int EvaluationSeedOffset = 1_000_000;
    /// <summary>
    /// The kept best policy's final evaluation uses seeds from here on: episodes it was not chosen on, so its reported
    /// success is not inflated by the choice (the scheduled evaluations act as a validation set, these as a test set).
    /// </summary>
    public const int HeldOutSeedOffset = 2_000_000;

    public string CheckpointDirectory => Path.Combine(RunDirectory, "checkpoints");
    public string CheckpointPath(long step) => Path.Combine(CheckpointDirectory, $"step-{step:D9}.ckpt");
    public string LatestCheckpointPath => Path.Combine(CheckpointDirectory, "latest.ckpt");
    public string VideoDirectory => Path.Combine(RunDirectory, "videos");

    public string BestCheckpointPath => Path.Combine(CheckpointDirectory, "best.ckpt");

    private IEnv? _evalEnv;
    private Action<string>? _saveBest, _loadBest;
    private (long Step, EvaluationResult Result)? _lastEvaluation;

    /// <summary>The best evaluation so far (success rate, then mean return) and the step of the policy it evaluated.</summary>
    public BestEvaluation? Best { get; private set; }

    /// <summary>
    /// Lets evaluations keep the best policy, as SB3's EvalCallback keeps best_model: from now on an evaluation that beats
    /// every earlier one calls <paramref name="save"/> with <see cref="BestCheckpointPath"/> (a checkpoint without
    /// replay data, which leaves latest.ckpt alone); <paramref name="load"/> restores it for <see cref="LoadBestAtEnd"/>.
    /// A resumed run picks up the best that its best.ckpt records; a new run ignores one left in its directory.
    /// </summary>
    public void KeepBest(Action<string> save, Action<string> load)
    {
        (_saveBest, _loadBest) = (save, load);
        if (Best is not null || ResumeFrom is null || !File.Exists(BestCheckpointPath)) return;
        using var reader = CheckpointReader.Open(BestCheckpointPath);
        Best = new BestEvaluation(reader.GetLong("best_step"), reader.GetDouble("best_success_rate"), reader.GetDouble("best_mean_return"));
    }

    /// <summary>
    /// Evaluates deterministically and logs eval/success_rate, eval/episodic_return, eval/episode_length.
    /// With a video name, the first episode is filmed to videos/{name}.mp4 and, every second frame, to a GIF beside it.
    /// </summary>
    public EvaluationResult Evaluate(IPolicy policy, long step, string? videoName = null)
    {
        var result = EvaluateOn(_evalEnv ??= MakeEnv(), policy, step, videoName);
        _lastEvaluation = (step, result);
        var candidate = new BestEvaluation(step, result.SuccessRate, result.MeanReturn);
        if (_saveBest is not null && (Best is not { } best || candidate.Beats(best)))
        {
            Best = candidate;
            _saveBest(BestCheckpointPath);
        }
        return result;
    }

    /// <summary>
    /// <see cref="Evaluate"/> on a given env (a policy that must see its env, such as a scripted expert), without
    /// keeping the best; metrics are logged under <paramref name="prefix"/> (success_rate, episodic_return, episode_length).
    /// </summary>
    public EvaluationResult EvaluateOn(IEnv env, IPolicy policy, long step, string? videoName = null, string prefix = "eval/",
                                       int seedOffset = EvaluationSeedOffset)
    {
        VideoWriter? mp4 = null, gif = null;
        int frames = 0;
        if (videoName is not null)
        {
            if (videoName.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase)) videoName = videoName[..^4];
            Directory.CreateDirectory(VideoDirectory);
            var first = env.Render();
            mp4 = new VideoWriter(Path.Combine(VideoDirectory, videoName + ".mp4"), first.Width, first.Height);
            gif = new VideoWriter(Path.Combine(VideoDirectory, videoName + ".gif"), first.Width, first.Height, fps: 15);
        }
        EvaluationResult result;
        using (mp4)
        using (gif)
            result = Evaluator.Evaluate(env, policy, EvalEpisodes, Seed + seedOffset,
                recordFrame: mp4 is null ? null : frame =>
                {
                    mp4.WriteFrame(frame);
                    if (frames++ % 2 == 0) gif!.WriteFrame(frame);
                });
        Logger.Log(step, prefix + "success_rate", result.SuccessRate);
        Logger.Log(step, prefix + "episodic_return", result.MeanReturn);
        Logger.Log(step, prefix + "episode_length", result.MeanLength);
        Logger.Flush();
        return result;
    }

    /// <summary>
    /// Writes a checkpoint of <paramref name="algorithm"/>: what <paramref name="fill"/> adds (networks, optimizers,
    /// counters, RNG states) plus the env metadata, then points latest.ckpt at it. Returns the path.
    /// </summary>
    public string WriteCheckpoint(string algorithm, string path, Action<CheckpointWriter> fill)
    {
        using var scope = torch.NewDisposeScope();
        using var writer = new CheckpointWriter(algorithm);
        fill(writer);
        writer.Set(CheckpointMetadata).Set("seed", Seed);
        if (path == BestCheckpointPath && Best is { } best)
            writer.Set("best_step", best.Step).Set("best_success_rate", best.SuccessRate).Set("best_mean_return", best.MeanReturn);
        writer.Save(path);
        if (path != BestCheckpointPath) File.Copy(path, LatestCheckpointPath, overwrite: true);
        return path;
    }

    /// <summary>Where a loop stopped by a NaN loss saves the state it held before the failing update.</summary>
    public string LastGoodCheckpointPath(long step) => Path.Combine(CheckpointDirectory, $"last-good-step-{step:D9}.ckpt");

    /// <summary>
    /// The end every training loop shares: a checkpoint of the last step (unless one was just written), the final
    /// evaluation (filmed when asked; a scheduled evaluation of the last step is reused when no film is wanted;
    /// none after an interruption), and the summary.
    /// </summary>
    public TrainingSummary Finish(string algorithm, IPolicy policy, long step, long startStep, Stopwatch clock, bool interrupted,
                                  string? lastCheckpoint, Func<string, string> writeCheckpoint,
                                  (long Step, EvaluationResult Result)? lastEvaluation = null)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        double stepsPerSecond = (step - startStep) / Math.Max(seconds, 1e-9);
        var finalPath = CheckpointPath(step);
        if (lastCheckpoint != finalPath) lastCheckpoint = writeCheckpoint(finalPath);
        lastEvaluation ??= _lastEvaluation;
        EvaluationResult? final = null;
        long policyStep = step;
        if (!interrupted && LoadBestAtEnd && _loadBest is not null)
        {
            // The last policy is scored first (for the curves, and so it can be the best), then the best is restored
            // when it is another step's. Its final evaluation is on held-out seeds (it was chosen on the scheduled
            // evaluations' seeds), logged apart (eval_kept_policy/) from the eval/ curves, which stay the last policy's.
            if (lastEvaluation?.Step != step) lastEvaluation = (step, Evaluate(policy, step));
            if (Best is { } best && best.Step != step)
            {
                _loadBest(BestCheckpointPath);
                policyStep = best.Step;
                final = EvaluateOn(_evalEnv ??= MakeEnv(), policy, step, FinalVideo ? "final" : null, prefix: "eval_kept_policy/",
                                   seedOffset: HeldOutSeedOffset);
                Logger.Log(step, "eval_kept_policy/step", best.Step);
            }
        }
        if (!interrupted && final is null)
            final = lastEvaluation is { } last && last.Step == step && !FinalVideo ? last.Result
                : Evaluate(policy, step, FinalVideo ? "final" : null);
        Logger.Flush();
        DisposeEvaluationEnv();
        return new TrainingSummary(algorithm, step, seconds, stepsPerSecond, final, lastCheckpoint, interrupted,
                                   !interrupted && FinalVideo ? Path.Combine(VideoDirectory, "final.mp4") : null)
        {
            PolicyStep = policyStep,
            BestStep = Best?.Step,
            BestSuccessRate = Best?.SuccessRate,
        };
    }

    /// <summary>True when <paramref name="step"/> (1-based count of env steps done) is on the schedule <paramref name="every"/>.</summary>
    public static bool Due(long step, long every) => every > 0 && step % every == 0;

    public void DisposeEvaluationEnv()
    {
        _evalEnv?.Dispose();
        _evalEnv = null;
    }
}

/// <summary>An evaluation as the best-policy bookkeeping compares them: success rate first, then mean return.</summary>
public readonly record struct BestEvaluation(long Step, double SuccessRate, double MeanReturn)
{
    public bool Beats(BestEvaluation other) =>
        SuccessRate > other.SuccessRate || (SuccessRate == other.SuccessRate && MeanReturn > other.MeanReturn);
}

/// <summary>What a finished (or stopped) run reports.</summary>
public sealed record TrainingSummary(
    string Algorithm, long Steps, double Seconds, double StepsPerSecond, EvaluationResult? FinalEvaluation,
    string? LastCheckpoint, bool Interrupted, string? Video)
{
    /// <summary>The step whose policy the final evaluation is of: the last one, or the best one's with LoadBestAtEnd.</summary>
    public long PolicyStep { get; init; } = -1;
    /// <summary>The best scheduled evaluation (when the loop keeps the best policy): its step and success rate.</summary>
    public long? BestStep { get; init; }
    public double? BestSuccessRate { get; init; }
}
