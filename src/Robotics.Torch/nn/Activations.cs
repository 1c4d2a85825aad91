using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

// Parameter-free activation modules, for Sequential and MLP.

public sealed class ReLU : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.relu();
}

public sealed class Tanh : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.tanh();
}

public sealed class Sigmoid : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.sigmoid();
}

public sealed class GELU(string approximate = "none") : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.gelu(approximate);
}

/// <summary>x·sigmoid(x) (a.k.a. swish).</summary>
public sealed class SiLU : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.silu();
}

public sealed class ELU(double alpha = 1) : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.elu(alpha);
}

public sealed class LeakyReLU(double negative_slope = 0.01) : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.leaky_relu(negative_slope);
}

public sealed class Mish : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.mish();
}

public sealed class Softplus(double beta = 1, double threshold = 20) : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.softplus(beta, threshold);
}

public sealed class Softmax(long dim) : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.softmax(dim);
}

/// <summary>Returns its input (the same object; Sequential knows not to dispose it).</summary>
public sealed class Identity : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input;
}

public sealed class Flatten(long start_dim = 1, long end_dim = -1) : nn.Module<Tensor, Tensor>
{
    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}
