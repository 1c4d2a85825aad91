using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>lr = initial_lr × lr_lambda(epoch) (torch.optim.lr_scheduler.LambdaLR).</summary>
public sealed class LambdaLR(Optimizer optimizer, Func<long, double> lr_lambda, long last_epoch = -1) : LRScheduler(optimizer, last_epoch)
{
    protected override double LearningRate(ParamGroup group, long epoch) => group.initial_lr * lr_lambda(epoch);
}
