using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>AdamW (Loshchilov &amp; Hutter, 2019): decoupled weight decay, PyTorch's default 0.01.</summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                 double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, betas, eps, weight_decay, amsgrad, maximize) { }

    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                 double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(groups, lr, betas, eps, weight_decay, amsgrad, maximize) { }

    protected override bool Decoupled => true;
}
