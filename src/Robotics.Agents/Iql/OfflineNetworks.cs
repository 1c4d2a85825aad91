using Robotics.Agents.Buffers;
using Robotics.Torch;
using Robotics.Torch.Distributions;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Iql;

/// <summary>
/// The policy IQL extracts and behaviour cloning fits, CORL's GaussianPolicy / DeterministicPolicy (iql.py): an MLP from
/// observation to a tanh-bounded mean action; the Gaussian one adds a log-std per action dimension that does not depend
/// on the observation (clamped to [-20, 2], CORL's LOG_STD_MIN/MAX). The Gaussian is not squashed: dataset actions at
/// the bounds (±1, where noisy actions were clipped) keep a finite log-likelihood.
/// </summary>
public sealed class OfflineActor : nn.Module<Tensor, Tensor>
{
    private const double LogStdMin = -20, LogStdMax = 2;

    private readonly Robotics.Torch.Modules.Sequential net;
    private readonly Parameter? log_std;

    public bool IsGaussian => log_std is not null;
    /// <summary>"gaussian" or "deterministic", as checkpoints record it.</summary>
    public string Kind => IsGaussian ? "gaussian" : "deterministic";

    public OfflineActor(int observationSize, int actionSize, int hidden, int layers, bool gaussian)
    {
        var sizes = new List<long> { observationSize };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        sizes.Add(actionSize);
        net = nn.MLP(sizes, output_activation: () => nn.Tanh());
        if (gaussian)
            using (NewDisposeScope())
                log_std = new Parameter(zeros([actionSize])); // std 1 at the start, as CORL's torch.zeros(act_dim)
        RegisterComponents();
    }

    /// <summary>The mean action in [-1, 1] ([batch, actions]): the deterministic action for evaluation and deployment.</summary>
    public override Tensor forward(Tensor observation) => net.call(observation);

    /// <summary>N(mean, exp(clamp(log_std))) per action dimension (Gaussian actor only).</summary>
    public Normal Distribution(Tensor observation)
    {
        if (log_std is null) throw new InvalidOperationException("a deterministic actor has no distribution");
        return new Normal(net.call(observation), log_std.clamp(LogStdMin, LogStdMax).exp());
    }

    /// <summary>
    /// The per-sample behaviour-cloning loss of <paramref name="actions"/> ([batch, 1]): the negative log-likelihood
    /// summed over action dimensions (Gaussian), or the squared error summed over them (deterministic), as CORL's
    /// _update_policy computes bc_losses.
    /// </summary>
    public Tensor BcLosses(Tensor observation, Tensor actions)
    {
        using var scope = NewDisposeScope();
        var losses = IsGaussian
            ? -Distribution(observation).log_prob(actions).sum(-1, keepdim: true)
            : (net.call(observation) - actions).pow(2).sum(-1, keepdim: true);
        return losses.MoveToOuterDisposeScope();
    }

    /// <summary>A draw from the Gaussian clipped to [-1, 1] (CORL's act in training mode); the mean for a deterministic actor.</summary>
    public Tensor Sample(Tensor observation)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var action = IsGaussian ? Distribution(observation).sample().clamp(-1, 1) : net.call(observation);
        return action.MoveToOuterDisposeScope();
    }

    /// <summary>The exp of the log-std (the Gaussian's spread, the same in every state); null for a deterministic actor.</summary>
    public double[]? Std()
    {
        if (log_std is null) return null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return log_std.clamp(LogStdMin, LogStdMax).exp().to(ScalarType.Float64).ToArray<double>();
    }
}

/// <summary>IQL's state value V(s), CORL's ValueFunction: an MLP from observation to one number ([batch, 1]).</summary>
public sealed class ValueNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Robotics.Torch.Modules.Sequential net;

    public ValueNetwork(int observationSize, int hidden, int layers)
    {
        var sizes = new List<long> { observationSize };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        sizes.Add(1);
        net = nn.MLP(sizes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor observation) => net.call(observation);
}

/// <summary>
/// (x − mean) / std with a dataset's statistics held as module buffers, so they move with the agent, are saved in its
/// checkpoint ("obs_norm.mean", "obs_norm.std") and are applied inside Act: callers pass raw env observations.
/// </summary>
public sealed class ObservationNormalization : nn.Module<Tensor, Tensor>
{
    private readonly Tensor mean, std;

    public ObservationNormalization(ObservationNormalizer statistics)
    {
        mean = tensor(statistics.Mean.AsSpan(), [statistics.Size]);
        std = tensor(statistics.Std.AsSpan(), [statistics.Size]);
        register_buffer("mean", mean);
        register_buffer("std", std);
    }

    public override Tensor forward(Tensor observation) => (observation - mean) / std;

    /// <summary>True when these buffers hold <paramref name="statistics"/> (bit for bit).</summary>
    public bool Matches(ObservationNormalizer statistics) =>
        mean.ToArray<float>().SequenceEqual(statistics.Mean) && std.ToArray<float>().SequenceEqual(statistics.Std);
}

/// <summary>
/// Optimizer state for <see cref="Checkpoints.CheckpointWriter.AddOwned"/>, copied. CheckpointWriter.Add(prefix, optimizer)
/// takes ownership of the optimizer's own moment tensors and frees them with the writer, so the next step after a
/// mid-run checkpoint meets disposed tensors; copies keep the optimizer intact.
/// </summary>
internal static class OptimizerState
{
    public static Dictionary<string, Tensor> Copy(optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        return optimizer.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().MoveToOuterDisposeScope());
    }
}
