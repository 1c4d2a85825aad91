using System.Diagnostics;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Torch;
using Robotics.Torch.Optimizers;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Agents.Iql;

/// <summary>
/// Behaviour cloning hyperparameters, the baseline offline RL has to beat; defaults are CORL's BC
/// (algorithms/offline/any_percent_bc.py with frac = 1: every transition, MSE onto the dataset's actions).
/// </summary>
public sealed record BcConfig
{
    public long TotalSteps { get; init; } = 1_000_000;       // CORL max_timesteps: gradient steps
    public int BatchSize { get; init; } = 256;               // CORL batch_size
    public double Lr { get; init; } = 3e-4;                  // CORL's Adam lr for the BC actor
    public bool CosineLr { get; init; }                      // CORL BC: constant lr; true anneals it to 0 over TotalSteps as IQL's actor does
    public bool GaussianActor { get; init; }                 // CORL BC: a deterministic tanh MLP fit by MSE; true fits IQL's Gaussian actor by log-likelihood (IQL with β = 0)
    public bool NormalizeObservations { get; init; } = true; // CORL normalize
    public int Hidden { get; init; } = 256;                  // CORL BC actor: two hidden layers of 256
    public int Layers { get; init; } = 2;

    public void Validate()
    {
        if (TotalSteps <= 0) throw new ArgumentException($"bc: total steps must be positive, got {TotalSteps}");
        if (BatchSize <= 0) throw new ArgumentException($"bc: batch_size must be positive, got {BatchSize}");
        if (!(Lr > 0)) throw new ArgumentException($"bc: learning rate must be positive, got {Lr}");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException($"bc: hidden ({Hidden}) and layers ({Layers}) must be at least 1");
    }
}

/// <summary>Behaviour cloning: IQL's actor (<see cref="OfflineActor"/>) fit to the dataset's actions with every sample weighted 1.</summary>
public sealed class BcAgent : IOfflineAgent, IDisposable
{
    public const string AlgorithmName = "bc";

    private readonly BcConfig _config;
    private readonly Device _device;
    private readonly ObservationNormalization _obsNorm;
    private readonly OfflineActor _actor;
    private readonly optim.Optimizer _optimizer;
    private readonly CosineAnnealingLR? _schedule;

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public long Updates { get; private set; }
    public double LearningRate => _optimizer.param_groups[0].lr;
    public OfflineActor Actor => _actor;

    public BcAgent(int observationSize, int actionSize, BcConfig config, ObservationNormalizer? normalizer = null, Device? device = null)
    {
        config.Validate();
        normalizer ??= ObservationNormalizer.Identity(observationSize);
        if (normalizer.Size != observationSize)
            throw new ArgumentException($"the observation normaliser has {normalizer.Size} dimensions, the agent {observationSize}");
        (ObservationSize, ActionSize, _config) = (observationSize, actionSize, config);
        _device = device ?? Device.CPU;
        _obsNorm = new ObservationNormalization(normalizer);
        _actor = new OfflineActor(observationSize, actionSize, config.Hidden, config.Layers, config.GaussianActor);
        _obsNorm.to(_device);
        _actor.to(_device);
        _optimizer = optim.Adam(_actor.parameters(), config.Lr);
        if (config.CosineLr) _schedule = optim.lr_scheduler.CosineAnnealingLR(_optimizer, config.TotalSteps);
    }

    public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic)
    {
        if (observation.Length != ObservationSize || action.Length != ActionSize)
            throw new ArgumentException($"bc agent: got a {observation.Length}-number observation and a {action.Length}-number action buffer, expected {ObservationSize} and {ActionSize}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var obs = _obsNorm.call(tensor(observation, [1, observation.Length], device: _device));
        var a = deterministic ? _actor.call(obs) : _actor.Sample(obs);
        a.cpu().CopyTo(action);
    }

    /// <summary>
    /// One step on a minibatch: MSE between the actor's action and the dataset's (F.mse_loss, CORL's BC), or the
    /// Gaussian's negative log-likelihood summed over action dimensions. A NaN loss is thrown before it is applied.
    /// </summary>
    public void Update(ReplayBatch batch, long step, Dictionary<string, double>? metrics = null)
    {
        using var scope = NewDisposeScope();
        var loss = _actor.IsGaussian
            ? _actor.BcLosses(batch.Observations, batch.Actions).mean()
            : F.mse_loss(_actor.call(batch.Observations), batch.Actions);
        NonFiniteLossException.ThrowIfNotFinite("losses/actor_loss", loss.item<double>(), step);
        double learningRate = LearningRate;
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        _schedule?.step();
        Updates++;
        if (metrics is not null)
        {
            metrics["losses/actor_loss"] = loss.item<double>();
            metrics["charts/learning_rate"] = learningRate;
            if (_actor.Std() is { } std) metrics["losses/actor_std"] = std.Average();
        }
    }

    public bool NormalizesWith(ObservationNormalizer statistics) => _obsNorm.Matches(statistics);

    public void Save(CheckpointWriter writer)
    {
        writer.Set("observation_size", ObservationSize).Set("action_size", ActionSize)
              .Set("hidden", _config.Hidden).Set("layers", _config.Layers).Set("actor", _actor.Kind)
              .Set("total_steps", _config.TotalSteps).Set("updates", Updates)
              .Add("obs_norm", _obsNorm).Add("actor", _actor).AddOwned("actor_optimizer", OptimizerState.Copy(_optimizer));
    }

    /// <summary>Restores what <see cref="Save"/> wrote; another algorithm's checkpoint or another shape is refused, naming both sides.</summary>
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
        reader.LoadInto("actor_optimizer", _optimizer);
        Updates = reader.GetLong("updates");
        _schedule?.set_epoch(Updates);
    }

    /// <summary>An agent shaped as the checkpoint says, with its weights loaded: for evaluation and deployment.</summary>
    public static BcAgent FromCheckpoint(string path, Device? device = null)
    {
        using var reader = CheckpointReader.Open(path, AlgorithmName);
        var config = new BcConfig
        {
            Hidden = (int)reader.GetLong("hidden"), Layers = (int)reader.GetLong("layers"),
            GaussianActor = reader.Get("actor") == "gaussian", TotalSteps = reader.GetLong("total_steps"),
        };
        var agent = new BcAgent((int)reader.GetLong("observation_size"), (int)reader.GetLong("action_size"), config, device: device);
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
        _obsNorm.Dispose();
        _actor.Dispose();
        _optimizer.Dispose();
    }
}

/// <summary>
/// The behaviour-cloning loop: the same schedules, checkpoints, NaN handling and resume as <see cref="Iql.Train"/>,
/// with one actor update per minibatch. Rewards, terminals and next observations are loaded but unused.
/// </summary>
public static class BehaviorCloning
{
    public static TrainingSummary Train(BcConfig config, TransitionDataset data, TrainingContext ctx)
    {
        config.Validate();
        OfflineTraining.CheckEnvironmentFits(data, ctx, BcAgent.AlgorithmName);
        manual_seed(ctx.Seed);
        using var dataset = new OfflineDataset(data, config.BatchSize, config.NormalizeObservations, normalizeRewards: false, ctx.Device);
        using var agent = new BcAgent(data.ObservationSize, data.ActionSize, config, dataset.Normalizer, ctx.Device);
        return OfflineTraining.Run(BcAgent.AlgorithmName, agent, dataset, config.TotalSteps, ctx, rewardsMatter: false);
    }
}
