using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>Scales lr linearly from start_factor to end_factor over total_iters steps, then holds (torch.optim.lr_scheduler.LinearLR).</summary>
public sealed class LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, long total_iters = 5, long last_epoch = -1)
    : LRScheduler(Validate(optimizer, start_factor, end_factor, total_iters), last_epoch)
{
    protected override double LearningRate(ParamGroup group, long epoch)
    {
        var t = Math.Min(epoch, total_iters);
        return group.initial_lr * (start_factor + (end_factor - start_factor) * t / total_iters);
    }

    private static Optimizer Validate(Optimizer o, double start, double end, long total)
    {
        if (start is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(start_factor), start, "must be in (0, 1]");
        if (end is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(end_factor), end, "must be in [0, 1]");
        if (total <= 0) throw new ArgumentOutOfRangeException(nameof(total_iters), total, "must be positive");
        return o;
    }
}
