using System.Diagnostics;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Networks;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Torch;
using Robotics.Torch.Optimizers;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Agents.Iql;

/// <summary>
/// Implicit Q-Learning hyperparameters (Kostrikov, Nair and Levine 2021, "Offline RL with implicit Q-learning");
/// defaults are CORL's (algorithms/offline/iql.py, TrainConfig), which reproduce the paper's locomotion settings.
/// </summary>
public sealed record IqlConfig
{
    public long TotalSteps { get; init; } = 1_000_000;       // CORL max_timesteps: gradient steps (there are no env steps offline)
    public int BatchSize { get; init; } = 256;               // CORL batch_size
    public double Gamma { get; init; } = 0.99;               // CORL discount
    public double Tau { get; init; } = 0.005;                // CORL tau: Polyak factor for the target critics
    public double Expectile { get; init; } = 0.7;            // CORL iql_tau: the expectile V fits (paper: 0.7 locomotion, 0.9 AntMaze)
    public double Beta { get; init; } = 3.0;                 // CORL beta: inverse temperature in exp(β·A) (paper: 3 locomotion, 10 AntMaze)
    public double MaxAdvantageWeight { get; init; } = 100;   // CORL EXP_ADV_MAX: exp(β·A) is clamped to at most this
    public double ValueLr { get; init; } = 3e-4;             // CORL vf_lr
    public double QLr { get; init; } = 3e-4;                 // CORL qf_lr
    public double ActorLr { get; init; } = 3e-4;             // CORL actor_lr, cosine-annealed to 0 over TotalSteps (its CosineAnnealingLR(max_steps))
    public bool DeterministicActor { get; init; }            // CORL iql_deterministic = False: Gaussian actor, tanh mean, state-independent log-std
    public bool NormalizeObservations { get; init; } = true; // CORL normalize: standardise observations with the dataset's mean and std
    public bool NormalizeRewards { get; init; } = true;      // CORL normalize_reward (true in its locomotion configs): rewards × 1000 / (max − min return)
    public int Hidden { get; init; } = 256;                  // CORL hidden_dim, for the actor, both critics and V
    public int Layers { get; init; } = 2;                    // CORL n_hidden

    public void Validate()
    {
        if (TotalSteps <= 0) throw new ArgumentException($"iql: total steps must be positive, got {TotalSteps}");
        if (BatchSize <= 0) throw new ArgumentException($"iql: batch_size must be positive, got {BatchSize}");
        if (Gamma is <= 0 or > 1) throw new ArgumentException($"iql: gamma must be in (0, 1], got {Gamma}");
        if (Tau is <= 0 or > 1) throw new ArgumentException($"iql: tau must be in (0, 1], got {Tau}");
        if (Expectile is <= 0 or >= 1) throw new ArgumentException($"iql: expectile must be in (0, 1), got {Expectile}");
        if (!(Beta >= 0) || !double.IsFinite(Beta)) throw new ArgumentException($"iql: beta must be a finite number >= 0, got {Beta}");
        if (!(MaxAdvantageWeight > 0)) throw new ArgumentException($"iql: max advantage weight must be positive, got {MaxAdvantageWeight}");
        if (!(ValueLr > 0) || !(QLr > 0) || !(ActorLr > 0)) throw new ArgumentException($"iql: learning rates must be positive (value {ValueLr}, q {QLr}, actor {ActorLr})");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException($"iql: hidden ({Hidden}) and layers ({Layers}) must be at least 1");
    }
}

/// <summary>
/// IQL's networks and one gradient update: V fits an upper expectile of the target critics' Q over dataset actions,
/// the twin critics regress onto r + γ·V(s'), and the actor does advantage-weighted behaviour cloning. No action
/// outside the dataset is ever evaluated, which is what keeps the method offline-safe.
/// </summary>
public sealed class IqlAgent : IOfflineAgent, IDisposable
{
    public const string AlgorithmName = "iql";

    private readonly IqlConfig _config;
    private readonly Device _device;
    private readonly ObservationNormalization _obsNorm;
    private readonly OfflineActor _actor;
    private readonly QNetwork _qf1, _qf2, _qf1Target, _qf2Target;
    private readonly ValueNetwork _vf;
    private readonly optim.Optimizer _vOptimizer, _qOptimizer, _actorOptimizer;
    private readonly CosineAnnealingLR _actorSchedule;
    private readonly Tensor[] _qParams, _targetParams;

    public int ObservationSize { get; }
    public int ActionSize { get; }
    /// <summary>Gradient updates done so far.</summary>
    public long Updates { get; private set; }
    public double ActorLearningRate => _actorOptimizer.param_groups[0].lr;
    public OfflineActor Actor => _actor;
    public IqlConfig Config => _config;

    /// <param name="normalizer">the dataset statistics Act standardises observations with (identity when null)</param>
    public IqlAgent(int observationSize, int actionSize, IqlConfig config, ObservationNormalizer? normalizer = null, Device? device = null)
    {
        config.Validate();
        normalizer ??= ObservationNormalizer.Identity(observationSize);
        if (normalizer.Size != observationSize)
            throw new ArgumentException($"the observation normaliser has {normalizer.Size} dimensions, the agent {observationSize}");
        (ObservationSize, ActionSize, _config) = (observationSize, actionSize, config);
        _device = device ?? Device.CPU;
        _obsNorm = new ObservationNormalization(normalizer);
        _actor = new OfflineActor(observationSize, actionSize, config.Hidden, config.Layers, gaussian: !config.DeterministicActor);
        _qf1 = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf2 = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf1Target = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _qf2Target = new QNetwork(observationSize, actionSize, config.Hidden, config.Layers);
        _vf = new ValueNetwork(observationSize, config.Hidden, config.Layers);
        foreach (var m in Modules) m.to(_device);
        _qf1Target.load_state_dict(_qf1.state_dict());
        _qf2Target.load_state_dict(_qf2.state_dict());
        _vOptimizer = optim.Adam(_vf.parameters(), config.ValueLr);
        _qOptimizer = optim.Adam(_qf1.parameters().Concat(_qf2.parameters()), config.QLr);
        _actorOptimizer = optim.Adam(_actor.parameters(), config.ActorLr);
        _actorSchedule = optim.lr_scheduler.CosineAnnealingLR(_actorOptimizer, config.TotalSteps);
        _qParams = _qf1.parameters().Concat(_qf2.parameters()).ToArray<Tensor>();
        _targetParams = _qf1Target.parameters().Concat(_qf2Target.parameters()).ToArray<Tensor>();
    }

    private nn.Module[] Modules => [_obsNorm, _actor, _qf1, _qf2, _qf1Target, _qf2Target, _vf];

    /// <summary>Acts on a raw env observation (normalised here); deterministic = the actor's mean.</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic)
    {
        if (observation.Length != ObservationSize || action.Length != ActionSize)
            throw new ArgumentException($"iql agent: got a {observation.Length}-number observation and a {action.Length}-number action buffer, expected {ObservationSize} and {ActionSize}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = _obsNorm.call(tensor(observation, [1, observation.Length], device: _device));
        var a = deterministic ? _actor.call(obs) : _actor.Sample(obs);
        a.cpu().CopyTo(action);
    }

    /// <summary>
    /// The expectile regression loss mean(|τ − 1(u &lt; 0)| · u²) of residuals u = Q − V (CORL's asymmetric_l2_loss):
    /// positive residuals weigh τ, negative ones 1 − τ, so τ &gt; 0.5 pulls V toward the upper end of Q's spread.
    /// </summary>
    public static Tensor ExpectileLoss(Tensor u, double expectile)
    {
        using var scope = NewDisposeScope();
        var weight = (expectile - u.lt(0).to(u.dtype)).abs();
        return (weight * u.pow(2)).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One IQL update (CORL's ImplicitQLearning.train). All three losses are computed first, from the networks as they
    /// are now, and checked before any is applied: so a NaN stops training with nothing changed. This is the same
    /// update as CORL's sequential one, since the critics' target uses V(s') from before the V step and the actor's
    /// weights use the advantage from before it.
    /// </summary>
    public void Update(ReplayBatch batch, long step, Dictionary<string, double>? metrics = null)
    {
        using var scope = NewDisposeScope();
        Tensor nextV, targetQ;
        using (no_grad())
        {
            nextV = _vf.call(batch.NextObservations);
            targetQ = min(_qf1Target.call(batch.Observations, batch.Actions), _qf2Target.call(batch.Observations, batch.Actions));
        }

        // 1. V: an upper expectile of Q(s, a) over the dataset's actions, an in-support estimate of max_a Q.
        var v = _vf.call(batch.Observations);
        var advantage = targetQ - v;
        var valueLoss = ExpectileLoss(advantage, _config.Expectile);

        // 2. Twin critics: a SARSA-like target through V(s'), so no out-of-dataset action is queried.
        var target = batch.Rewards + _config.Gamma * (1 - batch.Dones) * nextV;
        var q1 = _qf1.call(batch.Observations, batch.Actions);
        var q2 = _qf2.call(batch.Observations, batch.Actions);
        var qLoss = (F.mse_loss(q1, target) + F.mse_loss(q2, target)) / 2;

        // 3. Actor: advantage-weighted regression, weights exp(β·A) clamped at MaxAdvantageWeight.
        var weights = (_config.Beta * advantage.detach()).exp().clamp_max(_config.MaxAdvantageWeight);
        var actorLoss = (weights * _actor.BcLosses(batch.Observations, batch.Actions)).mean();

        NonFiniteLossException.ThrowIfNotFinite("losses/value_loss", valueLoss.item<double>(), step);
        NonFiniteLossException.ThrowIfNotFinite("losses/q_loss", qLoss.item<double>(), step);
        NonFiniteLossException.ThrowIfNotFinite("losses/actor_loss", actorLoss.item<double>(), step);

        _vOptimizer.zero_grad();
        valueLoss.backward();
        _vOptimizer.step();
        _qOptimizer.zero_grad();
        qLoss.backward();
        _qOptimizer.step();
        double learningRate = ActorLearningRate; // the rate this step used; the schedule then moves it
        _actorOptimizer.zero_grad();
        actorLoss.backward();
        _actorOptimizer.step();
        _actorSchedule.step();
        using (no_grad())
        {
            _foreach_mul_(_targetParams, 1 - _config.Tau);
            _foreach_add_(_targetParams, _qParams, _config.Tau);
        }
        Updates++;

        if (metrics is not null)
        {
            metrics["losses/value_loss"] = valueLoss.item<double>();
            metrics["losses/q_loss"] = qLoss.item<double>();
            metrics["losses/actor_loss"] = actorLoss.item<double>();
            metrics["losses/q_values"] = q1.mean().item<double>();
            metrics["losses/v_values"] = v.mean().item<double>();
            metrics["losses/advantage"] = advantage.mean().item<double>();
            metrics["losses/advantage_weight"] = weights.mean().item<double>();
            metrics["charts/learning_rate"] = learningRate;
            if (_actor.Std() is { } std) metrics["losses/actor_std"] = std.Average();
        }
    }

    /// <summary>True when the agent standardises observations with exactly these statistics.</summary>
    public bool NormalizesWith(ObservationNormalizer statistics) => _obsNorm.Matches(statistics);

    /// <summary>Adds the networks, targets, optimizers, observation statistics and shapes to a checkpoint.</summary>
    public void Save(CheckpointWriter writer)
    {
        writer.Set("observation_size", ObservationSize).Set("action_size", ActionSize)
              .Set("hidden", _config.Hidden).Set("layers", _config.Layers).Set("actor", _actor.Kind)
              .Set("total_steps", _config.TotalSteps).Set("updates", Updates)
              .Add("obs_norm", _obsNorm).Add("actor", _actor).Add("qf1", _qf1).Add("qf2", _qf2)
              .Add("qf1_target", _qf1Target).Add("qf2_target", _qf2Target).Add("vf", _vf)
              .AddOwned("v_optimizer", OptimizerState.Copy(_vOptimizer)).AddOwned("q_optimizer", OptimizerState.Copy(_qOptimizer))
              .AddOwned("actor_optimizer", OptimizerState.Copy(_actorOptimizer));
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote. A checkpoint of another algorithm is refused naming both; one of another
    /// shape (sizes, actor kind) is refused naming the differing field.
    /// </summary>
    public void Load(CheckpointReader reader)
    {
        if (reader.Algorithm != AlgorithmName)
            throw new InvalidDataException($"checkpoint '{reader.Path}' was written by {reader.Algorithm}, not {AlgorithmName}");
        reader.Expect("observation_size", ObservationSize);
        reader.Expect("action_size", ActionSize);
        reader.Expect("hidden", _config.Hidden);
        reader.Expect("layers", _config.Layers);
        reader.Expect("actor", _actor.Kind);
        reader.LoadInto("obs_norm", _obsNorm);
        reader.LoadInto("actor", _actor);
        reader.LoadInto("qf1", _qf1);
        reader.LoadInto("qf2", _qf2);
        reader.LoadInto("qf1_target", _qf1Target);
        reader.LoadInto("qf2_target", _qf2Target);
        reader.LoadInto("vf", _vf);
        reader.LoadInto("v_optimizer", _vOptimizer);
        reader.LoadInto("q_optimizer", _qOptimizer);
        reader.LoadInto("actor_optimizer", _actorOptimizer);
        Updates = reader.GetLong("updates");
        _actorSchedule.set_epoch(Updates);
    }

    /// <summary>An agent shaped as the checkpoint says (sizes, widths, actor kind), with its weights loaded: for evaluation and deployment.</summary>
    public static IqlAgent FromCheckpoint(string path, Device? device = null)
    {
        using var reader = CheckpointReader.Open(path, AlgorithmName);
        var config = new IqlConfig
        {
            Hidden = (int)reader.GetLong("hidden"), Layers = (int)reader.GetLong("layers"),
            DeterministicActor = reader.Get("actor") == "deterministic", TotalSteps = reader.GetLong("total_steps"),
        };
        var agent = new IqlAgent((int)reader.GetLong("observation_size"), (int)reader.GetLong("action_size"), config, device: device);
        try
        {
            agent.Load(reader);
        }
        catch
        {
            agent.Dispose();
            throw;
        }
        return agent;
    }

    public void Dispose()
    {
        foreach (var m in Modules) m.Dispose();
        foreach (var o in new[] { _vOptimizer, _qOptimizer, _actorOptimizer }) o.Dispose();
    }
}

/// <summary>
/// IQL training, CORL's iql.py: the dataset (observations standardised, rewards optionally scaled) and the agent, run
/// through the offline loop (<see cref="OfflineTraining.Run"/>) with the reward scale kept in every checkpoint.
/// </summary>
public static class Iql
{
    public static TrainingSummary Train(IqlConfig config, TransitionDataset data, TrainingContext ctx)
    {
        config.Validate();
        OfflineTraining.CheckEnvironmentFits(data, ctx, IqlAgent.AlgorithmName);
        manual_seed(ctx.Seed);
        using var dataset = new OfflineDataset(data, config.BatchSize, config.NormalizeObservations, config.NormalizeRewards, ctx.Device);
        using var agent = new IqlAgent(data.ObservationSize, data.ActionSize, config, dataset.Normalizer, ctx.Device);
        return OfflineTraining.Run(IqlAgent.AlgorithmName, agent, dataset, config.TotalSteps, ctx, rewardsMatter: true);
    }
}
