using Robotics.Torch.Optimizers;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary><c>torch.optim.lr_scheduler</c> factories.</summary>
        public static class lr_scheduler
        {
            public static LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, long total_iters = 5) =>
                new(optimizer, start_factor, end_factor, total_iters);

            public static CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, long T_max, double eta_min = 0) => new(optimizer, T_max, eta_min);

            public static LambdaLR LambdaLR(Optimizer optimizer, Func<long, double> lr_lambda) => new(optimizer, lr_lambda);
        }
    }
}
