using System.Diagnostics;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Training;
using Robotics.Core.Seeding;
using Robotics.Core.Vector;
using Robotics.Core.Wrappers;
using Robotics.Torch;
using Robotics.Torch.Distributions;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Ppo;

/// <summary>
/// Proximal Policy Optimization hyperparameters; defaults are CleanRL's ppo_continuous_action.py (which follows
/// Schulman et al. 2017 and the "37 implementation details" of Huang et al. 2022) except where noted.
/// One rollout is <see cref="NumSteps"/> steps of each of <see cref="NumEnvs"/> envs; one update is
/// <see cref="UpdateEpochs"/> passes over it in <see cref="NumMinibatches"/> minibatches.
/// </summary>
public sealed record PpoConfig
{
    public long TotalSteps { get; init; } = 1_000_000;      // CleanRL total_timesteps (env steps over all copies)
    public int NumEnvs { get; init; } = 4;                  // parallel env copies (CleanRL: 1; the issue asks for vectorised rollouts)
    public int? Workers { get; init; }                      // env threads; null = min(num_envs, processor count)
    public int NumSteps { get; init; } = 2048;              // rollout length per env (CleanRL num_steps)
    public double LearningRate { get; init; } = 3e-4;       // Adam step size (CleanRL learning_rate)
    public bool AnnealLr { get; init; } = true;             // decay the step size linearly to 0 over the run (CleanRL anneal_lr)
    public double AdamEps { get; init; } = 1e-5;            // CleanRL's Adam epsilon (PyTorch's default is 1e-8)
    public double Gamma { get; init; } = 0.99;              // discount
    public double GaeLambda { get; init; } = 0.95;          // GAE λ (Schulman et al. 2016)
    public int NumMinibatches { get; init; } = 32;          // minibatches per epoch (CleanRL num_minibatches)
    public int UpdateEpochs { get; init; } = 10;            // passes over each rollout (CleanRL update_epochs)
    public bool NormalizeAdvantages { get; init; } = true;  // per-minibatch advantage normalisation (CleanRL norm_adv)
    public double ClipCoef { get; init; } = 0.2;            // surrogate clipping ε (PPO paper)
    public bool ClipValueLoss { get; init; } = true;        // clip the value update to ±clip_coef around the old value (CleanRL clip_vloss)
    public double EntCoef { get; init; } = 0.0;             // entropy bonus (CleanRL ent_coef for MuJoCo)
    public double VfCoef { get; init; } = 0.5;              // value-loss weight (CleanRL vf_coef)
    public double MaxGradNorm { get; init; } = 0.5;         // global gradient-norm clip (CleanRL max_grad_norm)
    public double? TargetKl { get; init; }                  // stop the epochs early when approx KL exceeds this (CleanRL: off)
    public bool NormalizeObservations { get; init; } = true; // running mean/std of observations, kept in the agent (Gymnasium NormalizeObservation)
    public double ObservationClip { get; init; } = 10;      // normalised observations are clipped to ±this (CleanRL's TransformObservation)
    public bool NormalizeRewards { get; init; } = true;     // rewards divided by the running std of the discounted return (Gymnasium NormalizeReward)
    public double RewardClip { get; init; } = 10;           // scaled rewards are clipped to ±this (CleanRL's TransformReward)
    public double InitialLogStd { get; init; } = 0.0;       // state-independent log-std starts here (CleanRL: zeros, σ = 1)
    public int Hidden { get; init; } = 64;                  // tanh MLPs of two hidden layers of 64 for actor and critic (CleanRL)
    public int Layers { get; init; } = 2;

    /// <summary>Env steps per rollout (all copies).</summary>
    public int BatchSize => NumEnvs * NumSteps;
    /// <summary>Rows per minibatch; when the rollout does not divide evenly the leftover rows sit out that epoch.</summary>
    public int MinibatchSize => BatchSize / NumMinibatches;
    /// <summary>Rollout-and-update iterations in the run (CleanRL: total_timesteps // batch_size).</summary>
    public long Iterations => TotalSteps / BatchSize;

    public void Validate()
    {
        if (NumEnvs < 1 || NumSteps < 1) throw new ArgumentException($"ppo: num_envs ({NumEnvs}) and num_steps ({NumSteps}) must be at least 1");
        if (Workers is < 1) throw new ArgumentException($"ppo: workers must be at least 1, got {Workers}");
        if ((long)NumEnvs * NumSteps > int.MaxValue / 64) throw new ArgumentException($"ppo: a rollout of {NumEnvs} × {NumSteps} steps is too large");
        if (TotalSteps < BatchSize)
            throw new ArgumentException($"ppo: total steps ({TotalSteps}) must cover at least one rollout of num_envs × num_steps = {BatchSize}");
        if (NumMinibatches < 1 || UpdateEpochs < 1) throw new ArgumentException($"ppo: num_minibatches ({NumMinibatches}) and update_epochs ({UpdateEpochs}) must be at least 1");
        if (MinibatchSize < (NormalizeAdvantages ? 2 : 1))
            throw new ArgumentException($"ppo: num_envs × num_steps = {BatchSize} is too small for {NumMinibatches} minibatches" +
                                        (NormalizeAdvantages ? " of at least 2 rows (advantage normalisation needs a standard deviation)" : ""));
        if (LearningRate <= 0 || AdamEps < 0) throw new ArgumentException($"ppo: learning_rate must be positive ({LearningRate}) and adam_eps non-negative ({AdamEps})");
        if (Gamma is <= 0 or > 1) throw new ArgumentException($"ppo: gamma must be in (0, 1], got {Gamma}");
        if (GaeLambda is < 0 or > 1) throw new ArgumentException($"ppo: gae_lambda must be in [0, 1], got {GaeLambda}");
        if (ClipCoef <= 0) throw new ArgumentException($"ppo: clip_coef must be positive, got {ClipCoef}");
        if (VfCoef < 0 || EntCoef < 0 || MaxGradNorm <= 0)
            throw new ArgumentException($"ppo: vf_coef ({VfCoef}) and ent_coef ({EntCoef}) must be non-negative and max_grad_norm ({MaxGradNorm}) positive");
        if (TargetKl is <= 0) throw new ArgumentException($"ppo: target_kl must be positive when set, got {TargetKl}");
        if (ObservationClip <= 0 || RewardClip <= 0) throw new ArgumentException($"ppo: observation_clip ({ObservationClip}) and reward_clip ({RewardClip}) must be positive");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException($"ppo: hidden ({Hidden}) and layers ({Layers}) must be at least 1");
    }
}

/// <summary>
/// CleanRL's Agent for continuous actions: separate tanh MLPs for the critic and the actor's mean, and a
/// state-independent log-std parameter. Layers are initialised orthogonally with gain √2 and zero bias; the
/// critic's output layer with gain 1 and the actor's with 0.01, so the first policy is near-zero-mean with σ = e^init_log_std.
/// State-dict names match CleanRL's ("critic.0.weight", "actor_mean.4.bias", "actor_logstd").
/// </summary>
public sealed class PpoActorCritic : nn.Module
{
    private readonly Robotics.Torch.Modules.Sequential critic, actor_mean;
    private readonly Parameter actor_logstd;

    public PpoActorCritic(int observationSize, int actionSize, int hidden, int layers, double initialLogStd)
    {
        critic = Mlp(observationSize, hidden, layers, 1, outputGain: 1.0);
        actor_mean = Mlp(observationSize, hidden, layers, actionSize, outputGain: 0.01);
        using (NewDisposeScope())
            actor_logstd = new Parameter(full([1, actionSize], initialLogStd));
        RegisterComponents();
    }

    private static Robotics.Torch.Modules.Sequential Mlp(int input, int hidden, int layers, int output, double outputGain)
    {
        var sizes = new List<long> { input };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        sizes.Add(output);
        var net = nn.MLP(sizes, activation: () => nn.Tanh());
        for (int j = 0; j < net.Count; j++)
            if (net[j] is Robotics.Torch.Modules.Linear linear)
            {
                bool last = j == net.Count - 1;
                nn.init.orthogonal_(linear.weight, last ? outputGain : Math.Sqrt(2));
                nn.init.constant_(linear.bias!, 0);
            }
        return net;
    }

    /// <summary>V(s) as a [batch] vector.</summary>
    public Tensor Value(Tensor observation)
    {
        using var scope = NewDisposeScope();
        return critic.call(observation).view(-1).MoveToOuterDisposeScope();
    }

    /// <summary>The deterministic action (the Gaussian's mean, unclipped), for evaluation and deployment.</summary>
    public Tensor Mean(Tensor observation) => actor_mean.call(observation);

    /// <summary>π(·|s): a diagonal Gaussian whose σ does not depend on s. Tensors go to the caller's scope.</summary>
    public Normal Distribution(Tensor observation)
    {
        var mean = actor_mean.call(observation);
        return new Normal(mean, actor_logstd.expand_as(mean).exp());
    }

    /// <summary>Log-probabilities and entropies of <paramref name="action"/> summed over action dimensions, and values: three [batch] vectors.</summary>
    public (Tensor logProb, Tensor entropy, Tensor value) Evaluate(Tensor observation, Tensor action)
    {
        var pi = Distribution(observation);
        return (pi.log_prob(action).sum(1), pi.entropy().sum(1), Value(observation));
    }

    /// <summary>The current σ of each action dimension (for logging).</summary>
    public Tensor LogStd => actor_logstd;
}

/// <summary>
/// Gymnasium's NormalizeReward for a vector env: each copy keeps a discounted running return
/// (G ← γ·G·(1 − terminated) + r, reset on termination only, as Gymnasium does), the running variance of those
/// returns is tracked, and rewards are divided by its square root (not centred), then clipped.
/// The statistics belong to the agent so checkpoints carry them; the per-copy returns are loop state.
/// </summary>
public sealed class RewardNormalizer(RunningMeanStd statistics, int numEnvs, double gamma, double clip, double epsilon = 1e-8)
{
    private readonly double[] _returns = new double[numEnvs];

    public RunningMeanStd Statistics { get; } = statistics;
    public ReadOnlySpan<double> RunningReturns => _returns;

    public void Normalize(ReadOnlySpan<double> rewards, ReadOnlySpan<bool> terminated, Span<float> output)
    {
        Span<float> one = stackalloc float[1];
        for (int i = 0; i < _returns.Length; i++)
        {
            _returns[i] = _returns[i] * gamma * (terminated[i] ? 0 : 1) + rewards[i];
            one[0] = (float)_returns[i];
            Statistics.Update(one);
        }
        double scale = 1 / Math.Sqrt(Statistics.Var[0] + epsilon);
        for (int i = 0; i < _returns.Length; i++) output[i] = (float)Math.Clamp(rewards[i] * scale, -clip, clip);
    }

    /// <summary>Forgets the running returns (the envs were reset).</summary>
    public void Reset() => Array.Clear(_returns);
}

/// <summary>
/// PPO's network, optimizer and normalisation statistics, and one update (epochs × minibatches of the clipped
/// surrogate). Observation statistics live here, not in an env wrapper, so <see cref="Act"/> normalises exactly as
/// training did and a checkpoint carries everything evaluation and deployment need.
/// </summary>
public sealed class PpoAgent : IPolicy, IDisposable
{
    public const string AlgorithmName = "ppo";

    private readonly PpoConfig _config;
    private readonly Device _device;
    private readonly PpoActorCritic _net;
    private readonly optim.Optimizer _optimizer;
    private readonly Parameter[] _parameters;

    public int ObservationSize { get; }
    public int ActionSize { get; }
    /// <summary>Gradient steps (minibatch updates) done so far.</summary>
    public long Updates { get; private set; }
    public PpoActorCritic Network => _net;
    /// <summary>Running mean/variance of raw observations (identity-like and unused when normalisation is off).</summary>
    public RunningMeanStd ObservationStatistics { get; }
    /// <summary>Running variance of the discounted return, which scales rewards.</summary>
    public RunningMeanStd ReturnStatistics { get; } = new(1);

    public double LearningRate
    {
        get => _optimizer.param_groups[0].lr;
        set { foreach (var g in _optimizer.param_groups) g.lr = value; }
    }

    public PpoAgent(int observationSize, int actionSize, PpoConfig config, Device? device = null)
    {
        config.Validate();
        (ObservationSize, ActionSize, _config) = (observationSize, actionSize, config);
        _device = device ?? Device.CPU;
        ObservationStatistics = new RunningMeanStd(observationSize);
        _net = new PpoActorCritic(observationSize, actionSize, config.Hidden, config.Layers, config.InitialLogStd);
        if (_device.type != DeviceType.CPU) _net.to(_device);
        _parameters = _net.parameters().ToArray();
        _optimizer = optim.Adam(_parameters, config.LearningRate, eps: config.AdamEps);
    }

    /// <summary>Adds one raw observation to the running statistics (training only; a no-op when normalisation is off).</summary>
    public void Observe(ReadOnlySpan<float> rawObservation)
    {
        if (_config.NormalizeObservations) ObservationStatistics.Update(rawObservation);
    }

    /// <summary>What the networks see: (x − mean)/σ clipped to ±observation_clip, or x itself when normalisation is off.</summary>
    public void NormalizeObservation(ReadOnlySpan<float> rawObservation, Span<float> output)
    {
        if (_config.NormalizeObservations) ObservationStatistics.Normalize(rawObservation, output, _config.ObservationClip);
        else rawObservation.CopyTo(output);
    }

    /// <summary>
    /// An env action for a raw observation: the Gaussian's mean (deterministic) or a sample, clipped to [-1, 1]
    /// (the action box of every env here; CleanRL's ClipAction). The statistics are read, never updated.
    /// </summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic)
    {
        if (observation.Length != ObservationSize) throw new ArgumentException($"observation has {observation.Length} numbers, this agent takes {ObservationSize}");
        Span<float> normalized = ObservationSize <= 512 ? stackalloc float[ObservationSize] : new float[ObservationSize];
        NormalizeObservation(observation, normalized);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = tensor<float>(normalized, [1, ObservationSize], device: _device);
        var a = deterministic ? _net.Mean(obs) : _net.Distribution(obs).sample();
        a.clamp(-1, 1).cpu().CopyTo(action);
    }

    /// <summary>
    /// One rollout step for a batch of normalised observations ([envs × obs]): sampled actions (unclipped, as
    /// stored), their log-probabilities, and the critic's values.
    /// </summary>
    public void Explore(Tensor observations, Span<float> actions, Span<float> logProbs, Span<float> values)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = observations.device == _device ? observations : observations.to(_device);
        var pi = _net.Distribution(obs);
        var a = pi.sample();
        pi.log_prob(a).sum(1).cpu().CopyTo(logProbs);
        a.cpu().CopyTo(actions);
        _net.Value(obs).cpu().CopyTo(values);
    }

    /// <summary>V(s) for a batch of normalised observations ([n × obs]) into <paramref name="values"/>.</summary>
    public void Values(Tensor observations, Span<float> values)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = observations.device == _device ? observations : observations.to(_device);
        _net.Value(obs).cpu().CopyTo(values);
    }

    /// <summary>
    /// PPO's update on a rollout whose advantages are computed: update_epochs passes, each over a fresh shuffle
    /// in num_minibatches minibatches, minimising the clipped surrogate + vf_coef·(clipped) value loss −
    /// ent_coef·entropy with the gradient norm clipped. Each loss is checked before it is applied, so a NaN stops
    /// training with the network holding its last good values. Returns CleanRL's metrics (losses of the last
    /// minibatch, clipfrac averaged over all of them).
    /// </summary>
    public Dictionary<string, double> Update(RolloutBuffer buffer, Rng rng, long envStep)
    {
        var c = _config;
        double policyLoss = 0, valueLoss = 0, entropy = 0, oldApproxKl = 0, approxKl = 0, clipFractions = 0;
        int minibatches = 0, epochs = 0;
        for (int epoch = 0; epoch < c.UpdateEpochs; epoch++)
        {
            buffer.Shuffle(rng);
            for (int k = 0; k < c.NumMinibatches; k++)
            {
                using var scope = NewDisposeScope();
                var mb = buffer.Minibatch(k);
                var (newLogProb, newEntropy, newValue) = _net.Evaluate(mb.Observations, mb.Actions);
                var logRatio = newLogProb - mb.LogProbs;
                var ratio = logRatio.exp();
                using (no_grad())
                {
                    oldApproxKl = (-logRatio).mean().item<double>();
                    approxKl = ((ratio - 1) - logRatio).mean().item<double>();   // Schulman's k3 estimator
                    clipFractions += ((ratio - 1).abs() > c.ClipCoef).@float().mean().item<double>();
                }

                var advantages = mb.Advantages;
                if (c.NormalizeAdvantages) advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
                var pgLoss = max(-advantages * ratio, -advantages * ratio.clamp(1 - c.ClipCoef, 1 + c.ClipCoef)).mean();

                Tensor vLoss;
                if (c.ClipValueLoss)
                {
                    var unclipped = (newValue - mb.Returns).pow(2);
                    var clippedValue = mb.Values + (newValue - mb.Values).clamp(-c.ClipCoef, c.ClipCoef);
                    vLoss = 0.5 * max(unclipped, (clippedValue - mb.Returns).pow(2)).mean();
                }
                else vLoss = 0.5 * (newValue - mb.Returns).pow(2).mean();

                var entropyMean = newEntropy.mean();
                var loss = pgLoss - c.EntCoef * entropyMean + c.VfCoef * vLoss;
                NonFiniteLossException.ThrowIfNotFinite("losses/loss", loss.item<double>(), envStep);
                _optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(_parameters, c.MaxGradNorm);
                _optimizer.step();
                Updates++;
                minibatches++;
                if (k == c.NumMinibatches - 1)
                    (policyLoss, valueLoss, entropy) = (pgLoss.item<double>(), vLoss.item<double>(), entropyMean.item<double>());
            }
            epochs++;
            if (c.TargetKl is { } targetKl && approxKl > targetKl) break;
        }
        double std;
        using (NewDisposeScope()) std = _net.LogStd.exp().mean().item<double>();
        return new Dictionary<string, double>
        {
            ["losses/value_loss"] = valueLoss,
            ["losses/policy_loss"] = policyLoss,
            ["losses/entropy"] = entropy,
            ["losses/old_approx_kl"] = oldApproxKl,
            ["losses/approx_kl"] = approxKl,
            ["losses/clipfrac"] = clipFractions / Math.Max(minibatches, 1),
            ["losses/explained_variance"] = buffer.ExplainedVariance(),
            ["losses/epochs"] = epochs,
            ["charts/action_std"] = std,
        };
    }

    /// <summary>Adds the network, optimizer, normalisation statistics and shapes to a checkpoint.</summary>
    public void Save(CheckpointWriter writer)
    {
        writer.Set("observation_size", ObservationSize).Set("action_size", ActionSize)
              .Set("hidden", _config.Hidden).Set("layers", _config.Layers)
              .Set("normalize_observations", _config.NormalizeObservations ? 1 : 0)
              .Set("observation_clip", _config.ObservationClip)
              .Set("updates", Updates)
              .Add("network", _net).Add("optimizer", _optimizer)
              .AddOwned("obs_rms", StatisticsTensors(ObservationStatistics))
              .AddOwned("return_rms", StatisticsTensors(ReturnStatistics));
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote. A checkpoint of another algorithm is refused naming both; one of
    /// another shape or normalisation setting is refused with the differing field named.
    /// </summary>
    public void Load(CheckpointReader reader)
    {
        if (reader.Algorithm != AlgorithmName)
            throw new InvalidDataException($"checkpoint '{reader.Path}' was written by {reader.Algorithm}, not {AlgorithmName}; a {AlgorithmName} agent cannot load it");
        reader.Expect("observation_size", ObservationSize);
        reader.Expect("action_size", ActionSize);
        reader.Expect("hidden", _config.Hidden);
        reader.Expect("layers", _config.Layers);
        reader.Expect("normalize_observations", _config.NormalizeObservations ? 1 : 0);
        reader.Expect("observation_clip", _config.ObservationClip.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        reader.LoadInto("network", _net);
        reader.LoadInto("optimizer", _optimizer);
        LoadStatistics(reader, "obs_rms", ObservationStatistics);
        LoadStatistics(reader, "return_rms", ReturnStatistics);
        Updates = reader.GetLong("updates");
    }

    private static Dictionary<string, Tensor> StatisticsTensors(RunningMeanStd rms) => new()
    {
        ["mean"] = tensor(rms.Mean),
        ["var"] = tensor(rms.Var),
        ["count"] = tensor(new[] { rms.Count }),
    };

    private static void LoadStatistics(CheckpointReader reader, string prefix, RunningMeanStd rms)
    {
        var mean = reader.Tensor($"{prefix}.mean").ToArray<double>();
        var variance = reader.Tensor($"{prefix}.var").ToArray<double>();
        if (mean.Length != rms.Mean.Length || variance.Length != rms.Var.Length)
            throw new InvalidDataException($"checkpoint '{reader.Path}' has {prefix} of {mean.Length} dimensions, this agent needs {rms.Mean.Length}");
        mean.CopyTo(rms.Mean, 0);
        variance.CopyTo(rms.Var, 0);
        rms.Count = reader.Tensor($"{prefix}.count").ToArray<double>()[0];
    }

    public void Dispose()
    {
        _net.Dispose();
        _optimizer.Dispose();
    }
}

/// <summary>
/// The PPO training loop, CleanRL's ppo_continuous_action.py in C#: collect num_steps from each of num_envs copies
/// (a vector env with same-step autoreset), compute GAE, update, repeat, with the learning rate annealed linearly to
/// zero. Observation and reward normalisation run here on the agent's statistics rather than in env wrappers.
/// Truncated episodes bootstrap from their final observation's value; terminated ones do not (Gymnasium's rule,
/// where CleanRL treats both as terminal). Evaluation and checkpoints happen at update boundaries, when the env-step
/// count crosses their schedules. Copy i is seeded with seed + i at the first reset.
///
/// Resuming restores the network, optimizer, normalisation statistics, counters and both RNGs, then resets the
/// vector env (with seed + num_envs·iteration, so resumed episodes differ from the run's first ones): the episodes
/// in progress when the checkpoint was written are cut off and the reward normaliser's running returns restart at
/// zero. PPO discards each rollout after its update, so nothing else is lost, but a resumed run is not bit-identical
/// to an uninterrupted one (SAC's is). Cancellation is checked every vector step: the partial rollout is discarded
/// and the final checkpoint is labelled with the last update boundary (its observation statistics include the
/// discarded steps). Losses are logged once per update (CleanRL's granularity) when it crosses a log_every boundary.
/// </summary>
public static class Ppo
{
    public static TrainingSummary Train(PpoConfig config, TrainingContext ctx)
    {
        config.Validate();
        manual_seed(ctx.Seed);
        int n = config.NumEnvs, numSteps = config.NumSteps;
        int workers = config.Workers ?? Math.Min(n, Environment.ProcessorCount);
        using var envs = VectorEnv.Create(_ => ctx.MakeEnv(), n, workers);
        if (envs.AutoresetMode != AutoresetMode.SameStep)
            throw new InvalidOperationException($"ppo expects a vector env with same-step autoreset, got {envs.AutoresetMode}");
        var actionSpace = envs.SingleActionSpace;
        for (int d = 0; d < actionSpace.Dimension; d++)
            if (actionSpace.Low[d] != -1 || actionSpace.High[d] != 1)
                throw new ArgumentException($"ppo expects actions in [-1, 1]; action {d} spans [{actionSpace.Low[d]}, {actionSpace.High[d]}] (wrap the env in RescaleAction)");
        int obsSize = envs.SingleObservationSpace.Dimension, actSize = actionSpace.Dimension;
        using var agent = new PpoAgent(obsSize, actSize, config, ctx.Device);
        using var buffer = new RolloutBuffer(numSteps, n, obsSize, actSize, config.MinibatchSize, ctx.Device);
        var rng = new Rng(ctx.Seed);
        long iterations = config.Iterations, iteration = 0, step = 0;

        if (ctx.ResumeFrom is not null)
        {
            using var reader = CheckpointReader.Open(ctx.ResumeFrom, PpoAgent.AlgorithmName);
            reader.Expect("num_envs", n);
            reader.Expect("num_steps", numSteps);
            agent.Load(reader);
            step = reader.GetLong("env_steps");
            iteration = reader.GetLong("iterations");
            reader.LoadInto("rng", rng);
            reader.RestoreTorchRngState();
        }

        // The loop's arrays, allocated once; obs holds the normalised observations the policy acts on next and
        // finalObs the normalised final observations of truncated episodes. CPU tensors wrap both without copying.
        var obs = new float[n * obsSize];
        var finalObs = new float[n * obsSize];
        using var obsTensor = from_array(obs, [n, obsSize]).DetachFromDisposeScope();
        using var finalObsTensor = from_array(finalObs, [n, obsSize]).DetachFromDisposeScope();
        var actions = new float[n * actSize];
        var envActions = new float[n * actSize];
        var logProbs = new float[n];
        var values = new float[n];
        var finalValues = new float[n];
        var rewards = new float[n];
        var episodeReturn = new double[n];
        var episodeLength = new int[n];
        var episodeSuccess = new bool[n];
        var rewardNormalizer = new RewardNormalizer(agent.ReturnStatistics, n, config.Gamma, config.RewardClip);

        // Gymnasium's vector NormalizeObservation: update the statistics with the whole batch, then normalise it.
        void TakeObservations()
        {
            for (int i = 0; i < n; i++) agent.Observe(envs.Observation(i));
            for (int i = 0; i < n; i++) agent.NormalizeObservation(envs.Observation(i), obs.AsSpan(i * obsSize, obsSize));
        }

        envs.Reset(ctx.Seed + (int)(iteration * n));
        TakeObservations();

        bool interrupted = false;
        string? lastCheckpoint = null;
        double? lastSuccess = null;
        long startStep = step, boundaryStep = step;
        var clock = Stopwatch.StartNew();
        double Sps() => (step - startStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);

        void SaveCheckpoint(string path, long envSteps, long iterationsDone) =>
            lastCheckpoint = ctx.WriteCheckpoint(PpoAgent.AlgorithmName, path, writer =>
            {
                agent.Save(writer);
                writer.Set("env_steps", envSteps).Set("iterations", iterationsDone).Set("num_envs", n).Set("num_steps", numSteps)
                      .Set("rng", rng).AddTorchRngState();
            });

        ctx.KeepBest(save: path => ctx.WriteCheckpoint(PpoAgent.AlgorithmName, path, agent.Save),
                     load: path => { using var reader = CheckpointReader.Open(path, PpoAgent.AlgorithmName); agent.Load(reader); });

        static bool Crossed(long before, long after, long every) => every > 0 && after / every > before / every;

        try
        {
            for (; iteration < iterations; iteration++)
            {
                // 1. anneal: the step size falls linearly from learning_rate to learning_rate/iterations
                if (config.AnnealLr) agent.LearningRate = (1.0 - (double)iteration / iterations) * config.LearningRate;
                boundaryStep = step;

                // 2. rollout
                buffer.Reset();
                for (int t = 0; t < numSteps; t++)
                {
                    if (ctx.Cancellation.IsCancellationRequested) { interrupted = true; break; }
                    agent.Explore(obsTensor, actions, logProbs, values);
                    for (int k = 0; k < actions.Length; k++) envActions[k] = Math.Clamp(actions[k], -1f, 1f);
                    envs.Step(envActions);
                    step += n;

                    // a truncated episode bootstraps from V(final observation), normalised with the current statistics
                    bool anyTruncated = false;
                    for (int i = 0; i < n; i++)
                        if (envs.Truncated[i] && !envs.Terminated[i])
                        {
                            var finalObservation = envs.Infos[i].FinalObservation
                                        ?? throw new InvalidOperationException($"env {i} was truncated but its info has no final observation");
                            agent.NormalizeObservation(finalObservation, finalObs.AsSpan(i * obsSize, obsSize));
                            anyTruncated = true;
                        }
                    if (anyTruncated) agent.Values(finalObsTensor, finalValues);

                    // a NaN reward would poison the return statistics for good: stop before they see it
                    for (int i = 0; i < n; i++)
                        NonFiniteLossException.ThrowIfNotFinite($"charts/reward (env {i})", envs.Rewards[i], step);

                    if (config.NormalizeRewards) rewardNormalizer.Normalize(envs.Rewards, envs.Terminated, rewards);
                    else for (int i = 0; i < n; i++) rewards[i] = (float)envs.Rewards[i];
                    buffer.Add(obs, actions, logProbs, values, rewards, envs.Terminated, envs.Truncated, finalValues);

                    for (int i = 0; i < n; i++)
                    {
                        episodeReturn[i] += envs.Rewards[i];
                        episodeLength[i]++;
                        episodeSuccess[i] |= envs.Infos[i].Success;
                        if (envs.Terminated[i] || envs.Truncated[i])
                        {
                            ctx.Logger.Log(step, "charts/episodic_return", episodeReturn[i]);
                            ctx.Logger.Log(step, "charts/episodic_length", episodeLength[i]);
                            ctx.Logger.Log(step, "charts/success", episodeSuccess[i] ? 1 : 0);
                            (episodeReturn[i], episodeLength[i], episodeSuccess[i]) = (0, 0, false);
                        }
                    }
                    TakeObservations();
                    if (t % 64 == 63) ctx.Progress?.Report(new TrainingProgress(step, iterations * config.BatchSize, Sps(), lastSuccess));
                }
                if (interrupted)
                {
                    step = boundaryStep; // the partial rollout is discarded
                    break;
                }

                // 3. GAE, bootstrapping the last step from V(next observation)
                agent.Values(obsTensor, values);
                buffer.ComputeReturnsAndAdvantages(values, config.Gamma, config.GaeLambda);

                // 4. learn
                var metrics = agent.Update(buffer, rng, step);
                if (Crossed(boundaryStep, step, ctx.LogEvery))
                {
                    ctx.Logger.Log(step, metrics);
                    ctx.Logger.Log(step, "charts/learning_rate", agent.LearningRate);
                    ctx.Logger.Log(step, "charts/SPS", Sps());
                }

                // 5. evaluation and checkpoints, at this update boundary
                if (Crossed(boundaryStep, step, ctx.EvalEvery))
                    lastSuccess = ctx.Evaluate(agent, step).SuccessRate;
                if (Crossed(boundaryStep, step, ctx.CheckpointEvery))
                    SaveCheckpoint(ctx.CheckpointPath(step), step, iteration + 1);
                ctx.Progress?.Report(new TrainingProgress(step, iterations * config.BatchSize, Sps(), lastSuccess));
            }
        }
        catch (NonFiniteLossException e)
        {
            // A non-finite reward is caught before the normaliser sees it, a non-finite loss before its minibatch is
            // applied: the agent holds the last good weights and statistics. The counters point at the start of this
            // iteration, so a resume collects its rollout again.
            var path = ctx.LastGoodCheckpointPath(e.Step);
            SaveCheckpoint(path, boundaryStep, iteration);
            ctx.Logger.Flush();
            ctx.DisposeEvaluationEnv();
            throw e.WithCheckpoint(path);
        }

        return ctx.Finish(PpoAgent.AlgorithmName, agent, step, startStep, clock, interrupted, lastCheckpoint, path =>
        {
            SaveCheckpoint(path, step, iteration);
            return path;
        });
    }
}
