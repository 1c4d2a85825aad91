using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Preferences.Models;

/// <summary>
/// One member of the ensemble: an MLP r̂(s, a) with a tanh-bounded output (B-Pref), or, for PEARL's robust reward
/// learning, a Gaussian with a mean head (tanh) and a log-variance head (clamped to [−10, 2]).
/// </summary>
public sealed class RewardMember : nn.Module<Tensor, Tensor>
{
    private const double MinLogVar = -10, MaxLogVar = 2;

    private readonly Sequential net;

    public bool Gaussian { get; }

    public RewardMember(int inputSize, int hidden, int layers, bool gaussian)
    {
        Gaussian = gaussian;
        var sizes = new List<long> { inputSize };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        sizes.Add(gaussian ? 2 : 1);
        net = MLP.Create(sizes);
        RegisterComponents();
    }

    /// <summary>The mean reward of each row: [..., D] → [...].</summary>
    public override Tensor forward(Tensor input) => Heads(input).Mean;

    /// <summary>Mean and (Gaussian members only) log-variance of each row's reward.</summary>
    public (Tensor Mean, Tensor? LogVar) Heads(Tensor input)
    {
        var h = net.call(input);
        if (!Gaussian) return (h.squeeze(-1).tanh(), null);
        return (h.select(-1, 0).tanh(), h.select(-1, 1).clamp(MinLogVar, MaxLogVar));
    }
}
