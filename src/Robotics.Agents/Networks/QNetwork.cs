using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Networks;

/// <summary>
/// Q(s, a): an MLP over the concatenated observation and action, one output. The output layer runs in float32 even when
/// the hidden layers run in bfloat16 under autocast, so Q-values, targets, losses and the min of twin critics keep full
/// precision (<see cref="Float32Outputs.CallInFloat32"/>).
/// </summary>
public sealed class QNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Robotics.Torch.Modules.Sequential net;

    public QNetwork(int observationSize, int actionSize, int hidden, int layers)
    {
        var sizes = new List<long> { observationSize + actionSize };
        for (int i = 0; i < layers; i++) sizes.Add(hidden);
        sizes.Add(1);
        net = nn.MLP(sizes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor observation, Tensor action)
    {
        using var scope = NewDisposeScope();
        var h = cat([observation, action], 1);
        for (int i = 0; i < net.Count - 1; i++) h = net[i].call(h);
        return net[net.Count - 1].CallInFloat32(h).MoveToOuterDisposeScope();
    }
}
