using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.VlmRm;

/// <summary>
/// VLM-RM's goal-baseline regularised reward over unit embeddings: with d = g − b and
/// P = α·ddᵀ/‖d‖² + (1−α)·I, r(x) = 1 − ½‖(x − g)P‖². At α = 0 it is 1 − ½‖x − g‖² = x·g, the plain CLIP cosine
/// similarity; at α = 1 only the component of x − g along d counts, so whatever the frame shows beyond the
/// goal-vs-baseline difference (lighting, the table, the arm's pose) is projected away.
/// The goal and baseline are the means of their prompts' unit embeddings, renormalised; the paper's code leaves the
/// mean unnormalised, which changes nothing for one prompt each and keeps α = 0 a true cosine otherwise.
/// Owns its tensors (on the CPU; scoring a batch is a [n, D]×[D, D] product).
/// </summary>
public sealed class GoalProjection : IDisposable
{
    public Tensor Goal { get; }
    public Tensor Baseline { get; }
    public Tensor Projection { get; }
    public double Alpha { get; }

    /// <param name="goals">unit embeddings of the goal prompts [n, D]</param>
    /// <param name="baselines">unit embeddings of the baseline prompts [m, D]</param>
    public GoalProjection(Tensor goals, Tensor baselines, double alpha)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1]");
        Alpha = alpha;
        using var scope = NewDisposeScope();
        var g = F.normalize(goals.to(ScalarType.Float32).cpu().mean(0), dim: 0);
        var b = F.normalize(baselines.to(ScalarType.Float32).cpu().mean(0), dim: 0);
        var d = g - b;
        double norm2 = d.dot(d).item<float>();
        if (!(norm2 > 1e-12))
            throw new ArgumentException("vlm-rm: the goal and baseline prompts embed to the same direction; the projection is undefined (write prompts that differ in what success looks like)");
        long dim = d.size(0);
        var projection = alpha * d.outer(d) / norm2 + (1 - alpha) * eye(dim, dtype: ScalarType.Float32);
        Goal = g.DetachFromDisposeScope();
        Baseline = b.DetachFromDisposeScope();
        Projection = projection.DetachFromDisposeScope();
    }

    /// <summary>Rewards [n] of unit frame embeddings [n, D].</summary>
    public Tensor Reward(Tensor frames)
    {
        using var scope = NewDisposeScope();
        var residual = (frames.to(ScalarType.Float32).cpu() - Goal).matmul(Projection);
        return (1 - 0.5 * residual.pow(2).sum(-1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Goal.Dispose();
        Baseline.Dispose();
        Projection.Dispose();
    }
}
