using Robotics.Torch;
using Robotics.Torch.Distributions;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Networks;

/// <summary>
/// SAC's actor: an MLP from observation to the mean and log-std of a Gaussian squashed by tanh into [-1, 1].
/// The log-std is bounded smoothly to [-5, 2] with a tanh, as CleanRL's actor does (keeps early training stable).
/// The heads run in float32 even when the trunk runs in bfloat16 under autocast: the squashing and the
/// log-probability (log(1 − tanh²)) need the precision.
/// </summary>
public sealed class TanhGaussianActor : nn.Module<Tensor, Tensor>
{
    private const double LogStdMin = -5, LogStdMax = 2;

    private readonly Robotics.Torch.Modules.Sequential trunk;
    private readonly Robotics.Torch.Modules.Linear mean, log_std;

    public TanhGaussianActor(int observationSize, int actionSize, int hidden, int layers)
    {
        var sizes = new List<long> { observationSize };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        trunk = nn.MLP(sizes, output_activation: () => nn.ReLU());
        mean = nn.Linear(hidden, actionSize);
        log_std = nn.Linear(hidden, actionSize);
        RegisterComponents();
    }

    /// <summary>The deterministic action tanh(mean), for evaluation and deployment.</summary>
    public override Tensor forward(Tensor observation)
    {
        using var scope = NewDisposeScope();
        return mean.CallInFloat32(trunk.call(observation)).tanh().MoveToOuterDisposeScope();
    }

    public TanhNormal Distribution(Tensor observation)
    {
        var h = trunk.call(observation).AsFloat32(); // cast once for both heads
        var logStd = LogStdMin + 0.5 * (LogStdMax - LogStdMin) * (log_std.CallInFloat32(h).tanh() + 1);
        return new TanhNormal(mean.CallInFloat32(h), logStd.exp());
    }

    /// <summary>A reparameterised action and its log-probability summed over action dimensions ([batch, 1]).</summary>
    public (Tensor action, Tensor logProb) Sample(Tensor observation)
    {
        using var scope = NewDisposeScope();
        var (action, logProb) = Distribution(observation).rsample_with_log_prob();
        return (action.MoveToOuterDisposeScope(), logProb.sum(-1, keepdim: true).MoveToOuterDisposeScope());
    }
}
