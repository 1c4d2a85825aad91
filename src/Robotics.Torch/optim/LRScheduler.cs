using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>
/// Sets each parameter group's lr from its <c>initial_lr</c> and the epoch count, in closed form
/// (so resuming only needs <see cref="last_epoch"/>). Call <see cref="step"/> after optimizer.step(),
/// as in PyTorch; constructing a scheduler applies epoch 0.
/// </summary>
public abstract class LRScheduler
{
    protected LRScheduler(Optimizer optimizer, long last_epoch = -1)
    {
        this.optimizer = optimizer;
        this.last_epoch = last_epoch;
        step();
    }

    public Optimizer optimizer { get; }

    /// <summary>Epochs (scheduler steps) taken; -1 before the constructor's first step.</summary>
    public long last_epoch { get; private set; }

    /// <summary>The learning rate of <paramref name="group"/> at <paramref name="epoch"/>.</summary>
    protected abstract double LearningRate(ParamGroup group, long epoch);

    public void step()
    {
        last_epoch++;
        foreach (var g in optimizer.param_groups) g.lr = LearningRate(g, last_epoch);
    }

    /// <summary>Jumps to <paramref name="epoch"/> (resuming from a checkpoint).</summary>
    public void set_epoch(long epoch)
    {
        last_epoch = epoch - 1;
        step();
    }

    public double[] get_last_lr() => optimizer.param_groups.Select(g => g.lr).ToArray();
}
