using System.Diagnostics;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Networks;
using Robotics.Agents.Training;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Core.Wrappers;
using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Agents.Sac;

/// <summary>Soft Actor-Critic hyperparameters; defaults are SB3's and CleanRL's (Haarnoja et al. 2018, "SAC: algorithms and applications").</summary>
public sealed record SacConfig
{
    public long TotalSteps { get; init; } = 1_000_000;   // CleanRL total_timesteps
    public int BufferSize { get; init; } = 1_000_000;    // SB3 / CleanRL buffer_size
    public double Gamma { get; init; } = 0.99;           // discount
    public double Tau { get; init; } = 0.005;            // Polyak factor for the target critics
    public int BatchSize { get; init; } = 256;
    public int LearningStarts { get; init; } = 5_000;    // uniform random actions before the first update
    public double PolicyLr { get; init; } = 3e-4;
    public double QLr { get; init; } = 3e-4;             // SB3 uses 3e-4 everywhere (CleanRL: 1e-3)
    public double AlphaLr { get; init; } = 3e-4;
    public int GradientSteps { get; init; } = 1;         // updates per env step (the update-to-data ratio)
    /// <summary>
    /// SB3's train_freq: updates come in bursts every this many env steps, TrainFrequency × GradientSteps of them, so
    /// the update-to-data ratio stays GradientSteps. 1 updates after every step (CleanRL). Larger values let a reward
    /// that labels the replay buffer in batches (CLIP on rendered frames) finish a batch before anything samples it.
    /// </summary>
    public int TrainFrequency { get; init; } = 1;
    public int PolicyFrequency { get; init; } = 1;       // actor and temperature update every this many updates (SB3: 1)
    public bool AutoTuneAlpha { get; init; } = true;     // learn the temperature toward TargetEntropy
    public double Alpha { get; init; } = 0.2;            // the fixed temperature when not tuned
    public double? TargetEntropy { get; init; }          // default −|A| (SAC v2)
    /// <summary>
    /// Decay the three learning rates linearly to 0 over TotalSteps (SB3's linear_schedule, which rl-zoo uses for
    /// some fixed budgets): late updates shrink, so the last policy moves less. On reach with the demo's budget it
    /// slowed learning more than it steadied the policy (docs/results.md). Off: constant rates, as SB3's and CleanRL's defaults.
    /// </summary>
    public bool AnnealLr { get; init; }
    /// <summary>
    /// Run the networks' matrix products in bfloat16 under autocast (weights, optimizer state, targets and losses stay
    /// float32). On CPUs with AVX512-BF16 or AMX, oneDNN's bfloat16 products are several times faster than float32
    /// (docs/results.md); elsewhere they can be slower. One reach run learned, but less precisely than float32 runs
    /// (docs/results.md). Off: float32 throughout, bit-reproducible.
    /// </summary>
    public bool MixedPrecision { get; init; }
    public int Hidden { get; init; } = 256;              // two hidden layers of 256, as SB3's MlpPolicy for SAC
    public int Layers { get; init; } = 2;
    /// <summary>
    /// Actor/learner overlap: the gradient steps run on a second thread while the env steps with a copy of the
    /// actor. Faster on several cores; not bit-reproducible (both threads draw from libtorch's generator).
    /// </summary>
    public bool Overlap { get; init; }
    /// <summary>
    /// Hindsight experience replay for goal tasks (reach, push, pick-place): each real transition is replayed with this
    /// many goals achieved later in its episode as well (SB3's n_sampled_goal, 4 there; the "future" strategy), so
    /// 1 − 1/(k + 1) of every minibatch carries a hindsight goal and the task's reward recomputed for it. 0: off.
    /// </summary>
    public int HerGoals { get; init; }

    public void Validate()
    {
        if (TotalSteps <= 0) throw new ArgumentException($"sac: total steps must be positive, got {TotalSteps}");
        if (BufferSize <= 0 || BatchSize <= 0) throw new ArgumentException($"sac: buffer_size ({BufferSize}) and batch_size ({BatchSize}) must be positive");
        if (Gamma is <= 0 or > 1) throw new ArgumentException($"sac: gamma must be in (0, 1], got {Gamma}");
        if (Tau is <= 0 or > 1) throw new ArgumentException($"sac: tau must be in (0, 1], got {Tau}");
        if (GradientSteps < 1 || PolicyFrequency < 1 || TrainFrequency < 1) throw new ArgumentException("sac: gradient_steps, policy_frequency and train_freq must be at least 1");
        // Overlap runs one step's updates beside that one env step; a burst every train_freq steps would have to run
        // beside steps that write the buffer it samples from.
        if (Overlap && TrainFrequency != 1) throw new ArgumentException($"sac: overlap runs each step's updates beside that step and works with train_freq: 1 only, got train_freq: {TrainFrequency} (set overlap: false)");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException($"sac: hidden ({Hidden}) and layers ({Layers}) must be at least 1");
        if (HerGoals < 0) throw new ArgumentException($"sac: her_goals must be 0 (off) or more, got {HerGoals}");
    }
}

/// <summary>SAC's networks and one gradient update: twin critics with Polyak targets, a tanh-Gaussian actor, a learned temperature.</summary>
public sealed class SacAgent : IPolicy, IDisposable
{
    public const string AlgorithmName = "sac";

    private readonly SacConfig _config;
    private readonly Device _device;
    private readonly TanhGaussianActor _actor;
    private TanhGaussianActor? _actingActor;
    private readonly QNetwork _qf1, _qf2, _qf1Target, _qf2Target;
    private readonly Parameter _logAlpha;
    private readonly optim.Optimizer _actorOptimizer, _alphaOptimizer;
    private optim.Optimizer _qOptimizer;
    private readonly Tensor[] _q1Params, _q2Params, _t1Params, _t2Params;
    private readonly double _targetEntropy;

    public int ObservationSize { get; }
    public int ActionSize { get; }
    /// <summary>Gradient updates done so far.</summary>
    public long Updates { get; private set; }
    public double Alpha => _config.AutoTuneAlpha ? Math.Exp(_logAlpha.item<double>()) : _config.Alpha;
    public TanhGaussianActor Actor => _actor;

    public SacAgent(int observationSize, int actionSize, SacConfig config, Device? device = null)
    {
        config.Validate();
        (ObservationSize, ActionSize, _config) = (observationSize, actionSize, config);
        _device = device ?? Device.CPU;
        _actor = new TanhGaussianActor(observationSize, actionSize, config.Hidden, config.Layers);
        _qf1 = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf2 = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf1Target = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf2Target = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        if (_device.type != DeviceType.CPU)
            foreach (var m in new nn.Module[] { _actor, _qf1, _qf2, _qf1Target, _qf2Target }) m.to(_device);
        _qf1Target.load_state_dict(_qf1.state_dict());
        _qf2Target.load_state_dict(_qf2.state_dict());
        using (NewDisposeScope())
            _logAlpha = new Parameter(zeros([1], device: _device)); // α starts at 1, as in SB3 and CleanRL
        _targetEntropy = config.TargetEntropy ?? -actionSize;
        _qOptimizer = optim.Adam(_qf1.parameters().Concat(_qf2.parameters()), config.QLr);
        _actorOptimizer = optim.Adam(_actor.parameters(), config.PolicyLr);
        _alphaOptimizer = optim.Adam([_logAlpha], config.AlphaLr);
        _q1Params = _qf1.parameters().ToArray<Tensor>();
        _q2Params = _qf2.parameters().ToArray<Tensor>();
        _t1Params = _qf1Target.parameters().ToArray<Tensor>();
        _t2Params = _qf2Target.parameters().ToArray<Tensor>();
    }

    public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = tensor(observation, [1, observation.Length], device: _device);
        var actor = _actingActor ?? _actor;
        var a = deterministic ? actor.call(obs) : actor.Sample(obs).action;
        a.cpu().CopyTo(action);
    }

    /// <summary>
    /// For actor/learner overlap: Act reads a copy of the actor that only <see cref="SyncActingCopy"/> changes,
    /// so acting never reads weights an update on the other thread is writing.
    /// </summary>
    public void UseActingCopy()
    {
        _actingActor ??= new TanhGaussianActor(ObservationSize, ActionSize, _config.Hidden, _config.Layers);
        if (_device.type != DeviceType.CPU) _actingActor.to(_device);
        SyncActingCopy();
    }

    public void SyncActingCopy()
    {
        if (_actingActor is null) return;
        using var _ = no_grad();
        _actingActor.load_state_dict(_actor.state_dict());
    }

    /// <summary>
    /// Fresh critics: both Q-networks re-initialised, their targets copied from them, and a new critic optimizer
    /// (B-Pref's reset_critic). The actor and the temperature keep what they learned.
    /// </summary>
    public void ResetCritics()
    {
        using (no_grad())
            foreach (var (critic, target) in new[] { (_qf1, _qf1Target), (_qf2, _qf2Target) })
            {
                using var fresh = new QNetwork(ObservationSize, ActionSize, _config.Hidden, _config.Layers);
                if (_device.type != DeviceType.CPU) fresh.to(_device);
                critic.load_state_dict(fresh.state_dict());
                target.load_state_dict(fresh.state_dict());
            }
        var lr = _qOptimizer.param_groups[0].lr; // an annealed rate stays annealed
        _qOptimizer.Dispose();
        _qOptimizer = optim.Adam(_qf1.parameters().Concat(_qf2.parameters()), lr);
    }

    /// <summary>Sets each optimizer's learning rate to its configured value times <paramref name="fraction"/> (the annealing schedule).</summary>
    public void ScaleLearningRates(double fraction)
    {
        foreach (var (optimizer, lr) in new[] { (_qOptimizer, _config.QLr), (_actorOptimizer, _config.PolicyLr), (_alphaOptimizer, _config.AlphaLr) })
            foreach (var g in optimizer.param_groups) g.lr = lr * fraction;
    }

    /// <summary>
    /// One SAC update on a minibatch. Each loss is checked before it is applied, so a NaN stops
    /// training with the networks still holding their last good values. Returns the losses when asked
    /// (reading them back costs a sync; the check itself reads only the critic and actor losses).
    /// </summary>
    public void Update(ReplayBatch batch, long envStep, Dictionary<string, double>? metrics = null)
    {
        using var scope = NewDisposeScope();
        var alpha = _config.AutoTuneAlpha ? _logAlpha.exp().detach() : tensor(_config.Alpha, device: _device);

        // Critic: soft Bellman target from the target critics and a fresh next action.
        Tensor target, q1, q2;
        using (no_grad())
        using (Mixed())
        {
            var (nextAction, nextLogProb) = _actor.Sample(batch.NextObservations);
            var nextQ = min(_qf1Target.call(batch.NextObservations, nextAction), _qf2Target.call(batch.NextObservations, nextAction));
            target = batch.Rewards + _config.Gamma * (1 - batch.Dones) * (nextQ - alpha * nextLogProb);
        }
        using (Mixed())
        {
            q1 = _qf1.call(batch.Observations, batch.Actions);
            q2 = _qf2.call(batch.Observations, batch.Actions);
        }
        var qf1Loss = F.mse_loss(q1, target);
        var qf2Loss = F.mse_loss(q2, target);
        var qLoss = qf1Loss + qf2Loss;
        NonFiniteLossException.ThrowIfNotFinite("losses/qf_loss", qLoss.item<double>(), envStep);
        _qOptimizer.zero_grad();
        qLoss.backward();
        _qOptimizer.step();

        if (Updates % _config.PolicyFrequency == 0)
        {
            // Actor: maximise min Q − α log π; then the temperature toward the target entropy.
            // The critics only pass gradients through to the action here: freezing their weights skips the
            // weight-gradient products SB3 and CleanRL compute and then throw away (same actor update, ~10% less work).
            Tensor action, logProb, minQ;
            using (Mixed()) (action, logProb) = _actor.Sample(batch.Observations);
            SetCriticGradients(false);
            using (Mixed()) minQ = min(_qf1.call(batch.Observations, action), _qf2.call(batch.Observations, action));
            var actorLoss = (alpha * logProb - minQ).mean();
            try
            {
                NonFiniteLossException.ThrowIfNotFinite("losses/actor_loss", actorLoss.item<double>(), envStep);
                _actorOptimizer.zero_grad();
                actorLoss.backward();
            }
            finally
            {
                SetCriticGradients(true);
            }
            _actorOptimizer.step();

            if (_config.AutoTuneAlpha)
            {
                var alphaLoss = -(_logAlpha * (logProb.detach() + _targetEntropy)).mean();
                _alphaOptimizer.zero_grad();
                alphaLoss.backward();
                _alphaOptimizer.step();
                if (metrics is not null) metrics["losses/alpha_loss"] = alphaLoss.item<double>();
            }
            if (metrics is not null)
            {
                metrics["losses/actor_loss"] = actorLoss.item<double>();
                metrics["losses/entropy"] = -logProb.mean().item<double>();
            }
        }

        using (no_grad())
        {
            _foreach_mul_(_t1Params, 1 - _config.Tau); _foreach_add_(_t1Params, _q1Params, _config.Tau);
            _foreach_mul_(_t2Params, 1 - _config.Tau); _foreach_add_(_t2Params, _q2Params, _config.Tau);
        }
        Updates++;
        if (metrics is not null)
        {
            metrics["losses/qf1_loss"] = qf1Loss.item<double>();
            metrics["losses/qf2_loss"] = qf2Loss.item<double>();
            metrics["losses/qf1_values"] = q1.mean().item<double>();
            metrics["losses/alpha"] = alpha.item<double>();
        }
    }

    /// <summary>A bfloat16 autocast region when configured (forward passes only: backward follows the forward's types).</summary>
    private AutocastGuard Mixed() => _config.MixedPrecision ? autocast(_device.type) : default;

    private void SetCriticGradients(bool enabled)
    {
        foreach (var p in _q1Params) p.requires_grad_(enabled);
        foreach (var p in _q2Params) p.requires_grad_(enabled);
    }

    /// <summary>Adds the networks, targets, optimizers, temperature and shapes to a checkpoint.</summary>
    public void Save(CheckpointWriter writer)
    {
        writer.Set("observation_size", ObservationSize).Set("action_size", ActionSize)
              .Set("hidden", _config.Hidden).Set("layers", _config.Layers).Set("updates", Updates)
              .Add("actor", _actor).Add("qf1", _qf1).Add("qf2", _qf2).Add("qf1_target", _qf1Target).Add("qf2_target", _qf2Target)
              .Add("log_alpha", _logAlpha)
              .Add("q_optimizer", _qOptimizer).Add("actor_optimizer", _actorOptimizer).Add("alpha_optimizer", _alphaOptimizer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; a checkpoint of another shape is refused with the differing field named.</summary>
    public void Load(CheckpointReader reader)
    {
        reader.Expect("observation_size", ObservationSize);
        reader.Expect("action_size", ActionSize);
        reader.Expect("hidden", _config.Hidden);
        reader.Expect("layers", _config.Layers);
        reader.LoadInto("actor", _actor);
        reader.LoadInto("qf1", _qf1);
        reader.LoadInto("qf2", _qf2);
        reader.LoadInto("qf1_target", _qf1Target);
        reader.LoadInto("qf2_target", _qf2Target);
        using (no_grad()) _logAlpha.copy_(reader.Tensor("log_alpha"));
        reader.LoadInto("q_optimizer", _qOptimizer);
        reader.LoadInto("actor_optimizer", _actorOptimizer);
        reader.LoadInto("alpha_optimizer", _alphaOptimizer);
        Updates = reader.GetLong("updates");
    }

    public void Dispose()
    {
        foreach (var m in new nn.Module[] { _actor, _qf1, _qf2, _qf1Target, _qf2Target }) m.Dispose();
        _actingActor?.Dispose();
        foreach (var o in new[] { _qOptimizer, _actorOptimizer, _alphaOptimizer }) o.Dispose();
        _logAlpha.Dispose();
    }
}

/// <summary>
/// The SAC training loop, CleanRL's sac_continuous_action.py in C#: random actions until learning_starts,
/// then act, store, update (in bursts every train_freq steps, as SB3), with evaluation and checkpoints on their
/// schedules. Episode k of training is reset with seed + k, and checkpoints are written at episode ends, so a
/// resumed run continues exactly as an uninterrupted one would (given the replay buffer is in the checkpoint).
/// </summary>
public static class Sac
{
    public static TrainingSummary Train(SacConfig config, TrainingContext ctx)
    {
        config.Validate();
        manual_seed(ctx.Seed);
        using var env = (ctx.MakeTrainingEnv ?? ctx.MakeEnv)();
        int obsSize = env.ObservationSpace.Dimension, actSize = env.ActionSpace.Dimension;
        using var agent = new SacAgent(obsSize, actSize, config, ctx.Device);
        using var buffer = new ReplayBuffer((int)Math.Min(config.BufferSize, config.TotalSteps), obsSize, actSize, config.BatchSize, ctx.Device);
        var hindsight = config.HerGoals > 0 ? GoalRewardsOf(env) : null;
        if (hindsight is not null) buffer.UseHindsight(hindsight, config.HerGoals);
        var rng = new Rng(ctx.Seed);
        long step = 0, episode = 0;

        if (ctx.ResumeFrom is not null)
        {
            using var reader = CheckpointReader.Open(ctx.ResumeFrom, SacAgent.AlgorithmName);
            agent.Load(reader);
            step = reader.GetLong("env_steps");
            episode = reader.GetLong("episodes");
            reader.LoadInto("rng", rng);
            reader.RestoreTorchRngState();
            if (reader.HasGroup("replay")) buffer.LoadState(reader.Group("replay"));
        }

        var obs = env.Reset(ctx.Seed + (int)episode).Observation;
        var action = new float[actSize];
        var metrics = new Dictionary<string, double>();
        var rewardComponents = new Dictionary<string, double>(); // episode sums of the reward's named parts ("reward/…" in info)
        double episodeReturn = 0;
        int episodeLength = 0;
        bool episodeSuccess = false, checkpointDue = false, interrupted = false, lossesDue = false;
        string? lastCheckpoint = null;
        double? lastSuccess = null;
        long startStep = step;
        var clock = Stopwatch.StartNew();

        void Learn(bool logLosses, long envStep)
        {
            // SB3 computes the schedule from progress_remaining before each burst of updates.
            if (config.AnnealLr)
            {
                double fraction = 1.0 - (double)(envStep - 1) / config.TotalSteps;
                agent.ScaleLearningRates(fraction);
                if (logLosses) metrics["charts/learning_rate"] = config.PolicyLr * fraction;
            }
            for (int g = 0; g < config.TrainFrequency * config.GradientSteps; g++)
                agent.Update(buffer.Sample(rng), envStep, logLosses && g == 0 ? metrics : null);
        }

        if (config.Overlap) agent.UseActingCopy();

        void SaveCheckpoint(string path)
        {
            ctx.BeforeCheckpoint?.Invoke(buffer); // a reward labelling the buffer in batches finishes the rows it holds frames for
            lastCheckpoint = ctx.WriteCheckpoint(SacAgent.AlgorithmName, path, writer =>
            {
                agent.Save(writer);
                writer.Set("env_steps", step).Set("episodes", episode).Set("rng", rng).AddTorchRngState();
                if (ctx.CheckpointReplayBuffer) writer.AddOwned("replay", buffer.StateTensors());
            });
        }
        // The best policy is kept without the replay buffer: it is for evaluation and deployment, not for resuming.
        ctx.KeepBest(save: path => ctx.WriteCheckpoint(SacAgent.AlgorithmName, path, agent.Save),
                     load: path => { using (var reader = CheckpointReader.Open(path, SacAgent.AlgorithmName)) agent.Load(reader); agent.SyncActingCopy(); });

        try
        {
            while (step < config.TotalSteps)
            {
                if (ctx.Cancellation.IsCancellationRequested) { interrupted = true; break; }

                // With overlap, this step's gradient updates start now on the learner thread, from the buffer
                // as it is before this step's transition (which is stored once they finish).
                bool learn = step >= config.LearningStarts;
                bool update = learn && (step + 1) % config.TrainFrequency == 0;
                lossesDue |= learn && TrainingContext.Due(step + 1, ctx.LogEvery); // logged with the next burst of updates
                bool logLosses = update && lossesDue;
                long nextStep = step + 1;
                var learner = update && config.Overlap ? System.Threading.Tasks.Task.Run(() => Learn(logLosses, nextStep)) : null;

                // 1. act: uniform random until learning starts, then sample the policy
                if (!learn)
                    for (int i = 0; i < actSize; i++) action[i] = (float)rng.Uniform(-1, 1);
                else
                    agent.Act(obs, action, deterministic: false);

                // 2. step the env and store the transition (a truncated episode's final observation still bootstraps)
                var r = env.Step(action);
                if (learner is not null)
                {
                    learner.GetAwaiter().GetResult(); // rethrows a NaN stop as itself
                    agent.SyncActingCopy();
                }
                buffer.Add(obs, action, r.Reward, r.Observation, r.Terminated);
                if (hindsight is not null)
                {
                    buffer.Hindsight!.Stored(buffer.LastRow, episodeEnded: r.Done);
                    if (step - startStep < 10) CheckRecomputedReward(hindsight, r, action, step);
                }
                step++;
                ctx.AfterStep?.Invoke(step, buffer);
                if (ctx.CriticReset?.Invoke(step) is int resetUpdates and > 0)
                {
                    agent.ResetCritics();
                    for (int u = 0; u < resetUpdates; u++) agent.Update(buffer.Sample(rng), step);
                    agent.SyncActingCopy();
                }
                episodeReturn += r.Reward; // a placeholder when ctx.PlaceholderRewards: the return is then read back from the buffer
                episodeLength++;
                episodeSuccess |= r.Info.Success;
                foreach (var (key, value) in r.Info)
                    if (key.StartsWith("reward/", StringComparison.Ordinal))
                        rewardComponents[key] = rewardComponents.GetValueOrDefault(key) + value;
                obs = r.Observation;

                // 3. learn (sequential mode: from the buffer including this transition)
                if (update && !config.Overlap) Learn(logLosses, step);
                if (logLosses)
                {
                    ctx.Logger.Log(step, metrics);
                    metrics.Clear();
                    lossesDue = false;
                }

                if (TrainingContext.Due(step, ctx.LogEvery))
                    ctx.Logger.Log(step, "charts/SPS", (step - startStep) / clock.Elapsed.TotalSeconds);
                if (TrainingContext.Due(step, ctx.EvalEvery))
                    lastSuccess = ctx.Evaluate(agent, step).SuccessRate;
                checkpointDue |= TrainingContext.Due(step, ctx.CheckpointEvery);

                // 4. episode end: log, reset with the next episode's seed, and checkpoint at this clean boundary
                if (r.Done)
                {
                    ctx.Logger.Log(step, "charts/episodic_return", ctx.PlaceholderRewards ? StoredReturn(buffer, episodeLength) : episodeReturn);
                    ctx.Logger.Log(step, "charts/episodic_length", episodeLength);
                    ctx.Logger.Log(step, "charts/success", episodeSuccess ? 1 : 0);
                    foreach (var (key, sum) in rewardComponents) ctx.Logger.Log(step, key, sum / episodeLength); // per-step mean
                    rewardComponents.Clear();
                    episode++;
                    (episodeReturn, episodeLength, episodeSuccess) = (0, 0, false);
                    obs = env.Reset(ctx.Seed + (int)episode).Observation;
                    if (checkpointDue)
                    {
                        SaveCheckpoint(ctx.CheckpointPath(step));
                        checkpointDue = false;
                    }
                }
                if (step % 100 == 0 || step == config.TotalSteps)
                    ctx.Progress?.Report(new TrainingProgress(step, config.TotalSteps, (step - startStep) / clock.Elapsed.TotalSeconds, lastSuccess));
            }
        }
        catch (NonFiniteLossException e)
        {
            // The failing update was not applied: what the agent holds now is the last good state.
            var path = ctx.LastGoodCheckpointPath(e.Step);
            SaveCheckpoint(path);
            ctx.Logger.Flush();
            throw e.WithCheckpoint(path);
        }

        return ctx.Finish(SacAgent.AlgorithmName, agent, step, startStep, clock, interrupted, lastCheckpoint, path =>
        {
            SaveCheckpoint(path);
            return path;
        });
    }

    private static IGoalRewards GoalRewardsOf(IEnv env) =>
        EnvWrapper.Unwrap<IGoalEnv>(env)?.GoalRewards
        ?? throw new ArgumentException("sac: her_goals relabels goals, and this task has none a step can achieve; HER works on reach, push and pick-place");

    /// <summary>
    /// HER recomputes rewards with the goal env's own reward, so a run whose env pays another (a reward program, a
    /// learned or a VLM reward) would learn from two rewards at once: the first steps' rewards are recomputed and
    /// compared, before any update.
    /// </summary>
    private static void CheckRecomputedReward(IGoalRewards goals, StepResult r, ReadOnlySpan<float> action, long step)
    {
        Span<float> record = stackalloc float[goals.RecordSize];
        goals.Record(record);
        double recomputed = goals.Reward(record, action, r.Observation.AsSpan(goals.GoalOffset, goals.GoalSize));
        if (Math.Abs(recomputed - r.Reward) > 1e-4 * Math.Max(1, Math.Abs(r.Reward)))
            throw new ArgumentException($"sac: her_goals recomputes the task's own reward, but this env paid {r.Reward:G6} at step {step + 1} where the task's reward is {recomputed:G6}; HER works with reward source dense or sparse only");
    }

    /// <summary>
    /// The summed reward of the episode that just ended, read from its rows in the buffer (the newest
    /// <paramref name="length"/>, or as many as the ring still holds): what AfterStep wrote there, not the env's placeholders.
    /// </summary>
    private static double StoredReturn(ReplayBuffer buffer, int length)
    {
        var rewards = buffer.Rewards;
        double sum = 0;
        for (int k = 1; k <= Math.Min(length, buffer.Count); k++)
            sum += rewards[(buffer.Position - k + buffer.Capacity) % buffer.Capacity];
        return sum;
    }
}
