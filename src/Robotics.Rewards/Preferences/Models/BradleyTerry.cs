using Robotics.Torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Preferences.Models;

/// <summary>
/// The Bradley–Terry preference model (Christiano et al. 2017; B-Pref, PEBBLE): the probability that segment B is
/// preferred to segment A is a softmax over their summed rewards, P(B ≻ A) = exp R_B / (exp R_A + exp R_B)
/// = σ(R_B − R_A), and the model is fit by cross-entropy against the teacher's label (1 for B, 0 for A, ½ for equal).
/// </summary>
public static class BradleyTerry
{
    /// <summary>P(B ≻ A) for each pair, from the segment returns [N] of A and of B.</summary>
    public static Tensor ProbabilitySecond(Tensor returnsA, Tensor returnsB) => (returnsB - returnsA).sigmoid();

    /// <summary>
    /// Mean cross-entropy −[y log P(B ≻ A) + (1 − y) log P(A ≻ B)] over the pairs; <paramref name="targetSecond"/> holds
    /// y = 0, 1 or ½. Written on the return difference (binary cross-entropy with logits), which is the two-way
    /// softmax cross-entropy of B-Pref without its overflow for large returns.
    /// </summary>
    public static Tensor Loss(Tensor returnsA, Tensor returnsB, Tensor targetSecond) =>
        F.binary_cross_entropy_with_logits(returnsB - returnsA, targetSecond);
}
