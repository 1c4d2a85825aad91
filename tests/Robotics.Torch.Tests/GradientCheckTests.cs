using NUnit.Framework;
using static Robotics.Torch.torch;
using static Robotics.Torch.Tests.GradCheck;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Tests;

/// <summary>Every differentiable op the library exposes, checked against finite differences in float64.</summary>
public class GradientCheckTests
{
    [SetUp]
    public void Seed() => manual_seed(7);

    public sealed record Case(string Name, Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)
    {
        public override string ToString() => Name;
    }

    private static Case C(string name, Func<Tensor[], Tensor> f, Func<Tensor[]> inputs) => new(name, f, inputs);

    public static IEnumerable<Case> Cases() =>
    [
        // arithmetic and broadcasting
        C("add", x => x[0] + x[1], () => [Normal(3, 4), Normal(4)]),
        C("add_alpha", x => x[0].add(x[1], 2.5), () => [Normal(3, 4), Normal(3, 4)]),
        C("sub_scalar_left", x => 2.0 - x[0], () => [Normal(5)]),
        C("mul", x => x[0] * x[1], () => [Normal(2, 3), Normal(2, 1)]),
        C("div", x => x[0] / x[1], () => [Normal(6), Uniform(0.5, 2, 6)]),
        C("rdiv", x => 3.0 / x[0], () => [Uniform(0.5, 2, 6)]),
        C("pow_scalar", x => x[0].pow(3), () => [Normal(6)]),
        C("pow_tensor", x => x[0].pow(x[1]), () => [Uniform(0.5, 2, 6), Normal(6)]),
        C("rpow", x => pow(2.0, x[0]), () => [Normal(6)]),
        C("neg", x => -x[0], () => [Normal(6)]),
        C("minimum", x => minimum(x[0], x[1]), () => [Normal(8), Normal(8)]),
        C("maximum", x => maximum(x[0], x[1]), () => [Normal(8), Normal(8)]),
        C("lerp", x => x[0].lerp(x[1], x[2]), () => [Normal(5), Normal(5), Uniform(0, 1, 5)]),
        C("atan2", x => atan2(x[0], x[1]), () => [Normal(5), Uniform(0.5, 2, 5)]),
        // elementwise functions
        C("exp", x => x[0].exp(), () => [Normal(6)]),
        C("log", x => x[0].log(), () => [Uniform(0.5, 3, 6)]),
        C("log1p", x => x[0].log1p(), () => [Uniform(0, 3, 6)]),
        C("sqrt", x => x[0].sqrt(), () => [Uniform(0.5, 3, 6)]),
        C("abs", x => x[0].abs(), () => [Uniform(0.2, 1, 6) * (arange(6) % 2 * 2 - 1)]),
        C("tanh", x => x[0].tanh(), () => [Normal(6)]),
        C("sigmoid", x => x[0].sigmoid(), () => [Normal(6)]),
        C("relu", x => x[0].relu(), () => [Uniform(0.1, 1, 6) * (arange(6) % 2 * 2 - 1)]),
        C("softplus", x => x[0].softplus(), () => [Normal(6) * 3]),
        C("softplus_beta", x => x[0].softplus(beta: 2, threshold: 5), () => [Normal(6)]),
        C("clamp", x => x[0].clamp(-0.5, 0.5), () => [Normal(8)]),
        C("clamp_tensor", x => x[0].clamp(x[1], x[2]), () => [Normal(8), Uniform(-2, -0.5, 8), Uniform(0.5, 2, 8)]),
        C("erf", x => x[0].erf(), () => [Normal(6)]),
        C("sin_cos", x => x[0].sin() * x[0].cos(), () => [Normal(6)]),
        C("silu", x => x[0].silu(), () => [Normal(6)]),
        C("gelu", x => x[0].gelu(), () => [Normal(6)]),
        C("gelu_tanh", x => x[0].gelu("tanh"), () => [Normal(6)]),
        C("elu", x => x[0].elu(), () => [Uniform(0.1, 1, 6) * (arange(6) % 2 * 2 - 1)]),
        C("leaky_relu", x => x[0].leaky_relu(0.1), () => [Uniform(0.1, 1, 6) * (arange(6) % 2 * 2 - 1)]),
        C("log_sigmoid", x => x[0].log_sigmoid(), () => [Normal(6)]),
        C("where", x => where(x[0] > 0, x[0], x[1]), () => [Normal(8), Normal(8)]),
        C("masked_fill", x => x[0].masked_fill(x[0] < 0, 0.25), () => [Normal(8)]),
        // reductions
        C("sum", x => x[0].sum(), () => [Normal(3, 4)]),
        C("sum_dim_keepdim", x => x[0].sum(-1, keepdim: true), () => [Normal(3, 4)]),
        C("mean_dims", x => x[0].mean([0, 2]), () => [Normal(2, 3, 4)]),
        C("max_dim", x => x[0].max(1).values, () => [Normal(3, 5)]),
        C("min_dim", x => x[0].min(0).values, () => [Normal(3, 5)]),
        C("max_all", x => x[0].max(), () => [Normal(7)]),
        C("amax", x => x[0].amax([1]), () => [Normal(3, 5)]),
        C("logsumexp", x => x[0].logsumexp(-1), () => [Normal(3, 5)]),
        C("std", x => x[0].std(1), () => [Normal(3, 5)]),
        C("var_all", x => x[0].var(), () => [Normal(3, 5)]),
        C("norm", x => x[0].norm(), () => [Normal(3, 5)]),
        C("norm_dim", x => x[0].norm(2, 1), () => [Normal(3, 5)]),
        C("cumsum", x => x[0].cumsum(1), () => [Normal(3, 5)]),
        C("prod", x => x[0].prod(1), () => [Uniform(0.5, 1.5, 3, 4)]),
        C("softmax", x => x[0].softmax(-1), () => [Normal(3, 5)]),
        C("log_softmax", x => x[0].log_softmax(1), () => [Normal(3, 5)]),
        // products and layers
        C("matmul", x => x[0].matmul(x[1]), () => [Normal(3, 4), Normal(4, 2)]),
        C("matmul_batched_broadcast", x => x[0].matmul(x[1]), () => [Normal(2, 3, 4), Normal(4, 5)]),
        C("bmm", x => x[0].bmm(x[1]), () => [Normal(2, 3, 4), Normal(2, 4, 2)]),
        C("einsum", x => einsum("bij,bjk->bik", x[0], x[1]), () => [Normal(2, 3, 4), Normal(2, 4, 2)]),
        C("linear", x => F.linear(x[0], x[1], x[2]), () => [Normal(5, 3), Normal(4, 3), Normal(4)]),
        C("conv2d", x => F.conv2d(x[0], x[1], x[2], padding: (1, 1)), () => [Normal(1, 2, 5, 5), Normal(3, 2, 3, 3), Normal(3)]),
        C("conv2d_stride", x => F.conv2d(x[0], x[1], stride: (2, 2)), () => [Normal(2, 2, 6, 6), Normal(2, 2, 2, 2)]),
        C("layer_norm", x => F.layer_norm(x[0], [4], x[1], x[2]), () => [Normal(3, 4), Normal(4), Normal(4)]),
        C("embedding", x => F.embedding(tensor(new long[] { 0, 2, 2, 1 }), x[0]), () => [Normal(3, 4)]),
        C("normalize", x => F.normalize(x[0], dim: -1), () => [Normal(3, 4)]),
        C("cosine_similarity", x => F.cosine_similarity(x[0], x[1]), () => [Normal(3, 4), Normal(3, 4)]),
        C("sdpa", x => F.scaled_dot_product_attention(x[0], x[1], x[2]), () => [Normal(2, 3, 4), Normal(2, 5, 4), Normal(2, 5, 3)]),
        C("sdpa_causal", x => F.scaled_dot_product_attention(x[0], x[1], x[2], is_causal: true), () => [Normal(1, 4, 4), Normal(1, 4, 4), Normal(1, 4, 2)]),
        C("sdpa_float_mask", x => F.scaled_dot_product_attention(x[0], x[1], x[2], attn_mask: x[3]), () => [Normal(1, 3, 4), Normal(1, 3, 4), Normal(1, 3, 2), Normal(3, 3)]),
        C("interpolate_nearest", x => F.interpolate(x[0], size: (6, 4)), () => [Normal(1, 1, 3, 2)]),
        C("interpolate_bilinear", x => F.interpolate(x[0], size: (5, 7), mode: InterpolationMode.Bilinear, align_corners: false), () => [Normal(1, 2, 3, 4)]),
        C("interpolate_bicubic", x => F.interpolate(x[0], scale_factor: (2, 2), mode: InterpolationMode.Bicubic, align_corners: true), () => [Normal(1, 1, 4, 4)]),
        C("avg_pool2d", x => F.avg_pool2d(x[0], (2, 2)), () => [Normal(1, 2, 4, 4)]),
        C("max_pool2d", x => F.max_pool2d(x[0], (2, 2)), () => [Normal(1, 2, 4, 4)]),
        // losses
        C("mse_loss", x => F.mse_loss(x[0], x[1]), () => [Normal(4, 3), Normal(4, 3)]),
        C("l1_loss", x => F.l1_loss(x[0], x[1], Reduction.Sum), () => [Normal(4, 3), Normal(4, 3)]),
        C("smooth_l1_loss", x => F.smooth_l1_loss(x[0], x[1], beta: 0.5), () => [Normal(4, 3) * 2, Normal(4, 3)]),
        C("huber_loss", x => F.huber_loss(x[0], x[1], Reduction.None, delta: 0.7), () => [Normal(4, 3) * 2, Normal(4, 3)]),
        C("bce_with_logits", x => F.binary_cross_entropy_with_logits(x[0], x[1]), () => [Normal(6), Uniform(0, 1, 6)]),
        C("binary_cross_entropy", x => F.binary_cross_entropy(x[0].sigmoid(), x[1]), () => [Normal(6), Uniform(0, 1, 6)]),
        C("cross_entropy", x => F.cross_entropy(x[0], tensor(new long[] { 1, 0, 3 })), () => [Normal(3, 4)]),
        C("cross_entropy_smoothing", x => F.cross_entropy(x[0], tensor(new long[] { 1, 0, 3 }), label_smoothing: 0.1), () => [Normal(3, 4)]),
        C("nll_loss", x => F.nll_loss(x[0].log_softmax(-1), tensor(new long[] { 2, 1 })), () => [Normal(2, 3)]),
        // views and indexing
        C("reshape_transpose", x => x[0].reshape(3, 4).transpose(0, 1).contiguous().view(-1), () => [Normal(12)]),
        C("permute", x => x[0].permute(2, 0, 1) * x[1], () => [Normal(2, 3, 4), Normal(4, 1, 1)]),
        C("expand", x => x[0].expand(3, 4) * x[1], () => [Normal(1, 4), Normal(3, 4)]),
        C("narrow_slice", x => x[0].narrow(1, 1, 2).slice(0, 0, 4, 2) + x[0].slice(0, 1, 4, 2).narrow(1, 0, 2), () => [Normal(4, 3)]),
        C("squeeze_unsqueeze", x => x[0].unsqueeze(0).squeeze(0).unsqueeze(-1) * 2, () => [Normal(3)]),
        C("index_select", x => x[0].index_select(0, tensor(new long[] { 2, 0, 2 })), () => [Normal(3, 2)]),
        C("gather", x => x[0].gather(1, tensor(new long[,] { { 0, 2 }, { 1, 1 } })), () => [Normal(2, 3)]),
        C("scatter_add", x => zeros([2, 3], float64).scatter_add(1, tensor(new long[,] { { 0, 2 }, { 1, 1 } }), x[0]), () => [Normal(2, 2)]),
        C("indexer", x => x[0][1.., TensorIndex.None, ..^1], () => [Normal(3, 4)]),
        C("indexer_tensor", x => x[0][tensor(new long[] { 2, 0 })], () => [Normal(3, 4)]),
        C("cat", x => cat([x[0], x[1]], 1), () => [Normal(2, 3), Normal(2, 1)]),
        C("stack", x => stack([x[0], x[1]], 0), () => [Normal(2, 3), Normal(2, 3)]),
        C("chunk", x => x[0].chunk(2, -1)[0] * x[0].chunk(2, -1)[1], () => [Normal(3, 4)]),
        C("split_sizes", x => x[0].split([1, 3], 1)[1].sum(1), () => [Normal(2, 4)]),
        C("flip_roll", x => x[0].flip(0).roll(1, 1), () => [Normal(3, 4)]),
        C("tril", x => x[0].tril(), () => [Normal(3, 3)]),
        C("pad", x => F.pad(x[0], [1, 2]), () => [Normal(2, 3)]),
        C("repeat", x => x[0].repeat(2, 1), () => [Normal(2, 3)]),
    ];

    [TestCaseSource(nameof(Cases))]
    public void AutogradMatchesFiniteDifferences(Case c)
    {
        using var scope = NewDisposeScope();
        Check(c.F, c.Inputs());
    }

    [Test]
    public void MultiheadAttentionInputGradient()
    {
        using var scope = NewDisposeScope();
        using var mha = nn.MultiheadAttention(4, 2, batch_first: true);
        mha.@double();
        Check(x => mha.forward(x[0], x[1], x[1], need_weights: false).output, [Normal(2, 3, 4), Normal(2, 5, 4)]);
    }

    [Test]
    public void TanhNormalLogProbGradient()
    {
        using var scope = NewDisposeScope();
        Check(x => distributions.TanhNormal(x[0], x[1].exp()).log_prob(x[2]), [Normal(4), Normal(4) * 0.3, Uniform(-0.9, 0.9, 4)]);
    }
}
