using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>Cosine from the initial lr down to eta_min over T_max steps (torch.optim.lr_scheduler.CosineAnnealingLR, closed form).</summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, long T_max, double eta_min = 0, long last_epoch = -1)
    : LRScheduler(T_max > 0 ? optimizer : throw new ArgumentOutOfRangeException(nameof(T_max), T_max, "must be positive"), last_epoch)
{
    protected override double LearningRate(ParamGroup group, long epoch) =>
        eta_min + (group.initial_lr - eta_min) * (1 + Math.Cos(Math.PI * epoch / T_max)) / 2;
}
