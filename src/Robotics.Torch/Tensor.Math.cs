using Robotics.Torch.Native;

namespace Robotics.Torch;

// Elementwise math: binary ops with broadcasting, their in-place forms, comparisons, unary functions.
public unsafe partial class Tensor
{
    private static readonly Scalar One = 1;

    private static byte B(bool b) => b ? (byte)1 : (byte)0;

    private Tensor InPlace(int status)
    {
        TorchException.Check(status);
        return this;
    }

    // ---- binary ----
    public Tensor add(Tensor other) => Wrap(NativeMethods.Tensor_add(handle, other.handle, One));
    public Tensor add(Tensor other, Scalar alpha) => Wrap(NativeMethods.Tensor_add(handle, other.handle, alpha));
    public Tensor add(Scalar other) => Wrap(NativeMethods.Tensor_add_scalar(handle, other, One));
    public Tensor add(Scalar other, Scalar alpha) => Wrap(NativeMethods.Tensor_add_scalar(handle, other, alpha));
    public Tensor sub(Tensor other) => Wrap(NativeMethods.Tensor_sub(handle, other.handle, One));
    public Tensor sub(Tensor other, Scalar alpha) => Wrap(NativeMethods.Tensor_sub(handle, other.handle, alpha));
    public Tensor sub(Scalar other) => Wrap(NativeMethods.Tensor_sub_scalar(handle, other));
    /// <summary><c>other - this</c> (what <c>2 - x</c> compiles to).</summary>
    public Tensor rsub(Scalar other) => Wrap(NativeMethods.Tensor_rsub_scalar(handle, other));
    /// <summary><c>other / this</c>, computed as PyTorch does: <c>this.reciprocal() * other</c>.</summary>
    public Tensor rdiv(Scalar other) => Wrap(NativeMethods.Tensor_rdiv_scalar(handle, other));
    /// <summary><c>other ** this</c>.</summary>
    public Tensor rpow(Scalar other) => Wrap(NativeMethods.Tensor_rpow_scalar(handle, other));

    public Tensor mul(Tensor other) => Wrap(NativeMethods.Tensor_mul(handle, other.handle));
    public Tensor mul(Scalar other) => Wrap(NativeMethods.Tensor_mul_scalar(handle, other));
    public Tensor div(Tensor other) => Wrap(NativeMethods.Tensor_div(handle, other.handle));
    public Tensor div(Scalar other) => Wrap(NativeMethods.Tensor_div_scalar(handle, other));
    public Tensor pow(Tensor other) => Wrap(NativeMethods.Tensor_pow(handle, other.handle));
    public Tensor pow(Scalar other) => Wrap(NativeMethods.Tensor_pow_scalar(handle, other));
    public Tensor remainder(Tensor other) => Wrap(NativeMethods.Tensor_remainder(handle, other.handle));
    public Tensor remainder(Scalar other) => Wrap(NativeMethods.Tensor_remainder_scalar(handle, other));
    public Tensor fmod(Tensor other) => Wrap(NativeMethods.Tensor_fmod(handle, other.handle));
    public Tensor fmod(Scalar other) => Wrap(NativeMethods.Tensor_fmod_scalar(handle, other));
    public Tensor minimum(Tensor other) => Wrap(NativeMethods.Tensor_minimum(handle, other.handle));
    public Tensor maximum(Tensor other) => Wrap(NativeMethods.Tensor_maximum(handle, other.handle));
    public Tensor atan2(Tensor other) => Wrap(NativeMethods.Tensor_atan2(handle, other.handle));
    public Tensor xlogy(Tensor other) => Wrap(NativeMethods.Tensor_xlogy(handle, other.handle));
    public Tensor logical_and(Tensor other) => Wrap(NativeMethods.Tensor_logical_and(handle, other.handle));
    public Tensor logical_or(Tensor other) => Wrap(NativeMethods.Tensor_logical_or(handle, other.handle));
    public Tensor logical_xor(Tensor other) => Wrap(NativeMethods.Tensor_logical_xor(handle, other.handle));
    public Tensor bitwise_and(Tensor other) => Wrap(NativeMethods.Tensor_bitwise_and(handle, other.handle));
    public Tensor bitwise_and(Scalar other) => Wrap(NativeMethods.Tensor_bitwise_and_scalar(handle, other));
    public Tensor bitwise_or(Tensor other) => Wrap(NativeMethods.Tensor_bitwise_or(handle, other.handle));
    public Tensor bitwise_or(Scalar other) => Wrap(NativeMethods.Tensor_bitwise_or_scalar(handle, other));
    public Tensor bitwise_xor(Tensor other) => Wrap(NativeMethods.Tensor_bitwise_xor(handle, other.handle));
    public Tensor bitwise_xor(Scalar other) => Wrap(NativeMethods.Tensor_bitwise_xor_scalar(handle, other));

    // ---- comparisons (bool tensors) ----
    public Tensor eq(Tensor other) => Wrap(NativeMethods.Tensor_eq(handle, other.handle));
    public Tensor eq(Scalar other) => Wrap(NativeMethods.Tensor_eq_scalar(handle, other));
    public Tensor ne(Tensor other) => Wrap(NativeMethods.Tensor_ne(handle, other.handle));
    public Tensor ne(Scalar other) => Wrap(NativeMethods.Tensor_ne_scalar(handle, other));
    public Tensor lt(Tensor other) => Wrap(NativeMethods.Tensor_lt(handle, other.handle));
    public Tensor lt(Scalar other) => Wrap(NativeMethods.Tensor_lt_scalar(handle, other));
    public Tensor le(Tensor other) => Wrap(NativeMethods.Tensor_le(handle, other.handle));
    public Tensor le(Scalar other) => Wrap(NativeMethods.Tensor_le_scalar(handle, other));
    public Tensor gt(Tensor other) => Wrap(NativeMethods.Tensor_gt(handle, other.handle));
    public Tensor gt(Scalar other) => Wrap(NativeMethods.Tensor_gt_scalar(handle, other));
    public Tensor ge(Tensor other) => Wrap(NativeMethods.Tensor_ge(handle, other.handle));
    public Tensor ge(Scalar other) => Wrap(NativeMethods.Tensor_ge_scalar(handle, other));
    public Tensor greater(Tensor other) => gt(other);
    public Tensor less(Tensor other) => lt(other);

    /// <summary>True when all elements are within <c>atol + rtol * |other|</c> (PyTorch's allclose).</summary>
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false)
    {
        var r = NativeMethods.Tensor_allclose(handle, other.handle, rtol, atol, B(equal_nan));
        if (r < 0) throw TorchException.FromLastError();
        return r == 1;
    }

    /// <summary>Same shape and same elements.</summary>
    public bool equal(Tensor other)
    {
        var r = NativeMethods.Tensor_equal(handle, other.handle);
        if (r < 0) throw TorchException.FromLastError();
        return r == 1;
    }

    // ---- in place (return this) ----
    public Tensor add_(Tensor other) => InPlace(NativeMethods.Tensor_add_(handle, other.handle, One));
    public Tensor add_(Tensor other, Scalar alpha) => InPlace(NativeMethods.Tensor_add_(handle, other.handle, alpha));
    public Tensor add_(Scalar other) => InPlace(NativeMethods.Tensor_add_scalar_(handle, other, One));
    public Tensor sub_(Tensor other) => InPlace(NativeMethods.Tensor_sub_(handle, other.handle, One));
    public Tensor sub_(Tensor other, Scalar alpha) => InPlace(NativeMethods.Tensor_sub_(handle, other.handle, alpha));
    public Tensor sub_(Scalar other) => InPlace(NativeMethods.Tensor_add_scalar_(handle, other, -1));
    public Tensor mul_(Tensor other) => InPlace(NativeMethods.Tensor_mul_(handle, other.handle));
    public Tensor mul_(Scalar other) => InPlace(NativeMethods.Tensor_mul_scalar_(handle, other));
    public Tensor div_(Tensor other) => InPlace(NativeMethods.Tensor_div_(handle, other.handle));
    public Tensor div_(Scalar other) => InPlace(NativeMethods.Tensor_div_scalar_(handle, other));
    public Tensor pow_(Scalar exponent) => InPlace(NativeMethods.Tensor_pow_scalar_(handle, exponent));
    public Tensor addcmul_(Tensor t1, Tensor t2, Scalar value) => InPlace(NativeMethods.Tensor_addcmul_(handle, t1.handle, t2.handle, value));
    public Tensor addcdiv_(Tensor t1, Tensor t2, Scalar value) => InPlace(NativeMethods.Tensor_addcdiv_(handle, t1.handle, t2.handle, value));
    public Tensor lerp_(Tensor end, Scalar weight) => InPlace(NativeMethods.Tensor_lerp_(handle, end.handle, weight));
    public Tensor zero_() => InPlace(NativeMethods.Tensor_zero_(handle));
    public Tensor fill_(Scalar value) => InPlace(NativeMethods.Tensor_fill_(handle, value));
    public Tensor copy_(Tensor src, bool non_blocking = false) => InPlace(NativeMethods.Tensor_copy_(handle, src.handle, B(non_blocking)));
    public Tensor uniform_(double from = 0, double to = 1) => InPlace(NativeMethods.Tensor_uniform_(handle, from, to));
    public Tensor normal_(double mean = 0, double std = 1) => InPlace(NativeMethods.Tensor_normal_(handle, mean, std));
    public Tensor bernoulli_(double p = 0.5) => InPlace(NativeMethods.Tensor_bernoulli_(handle, p));
    public Tensor relu_() => InPlace(NativeMethods.Tensor_relu_(handle));
    public Tensor neg_() => InPlace(NativeMethods.Tensor_neg_(handle));
    public Tensor exp_() => InPlace(NativeMethods.Tensor_exp_(handle));
    public Tensor sqrt_() => InPlace(NativeMethods.Tensor_sqrt_(handle));
    public Tensor clamp_(Scalar? min = null, Scalar? max = null)
    {
        Scalar lo = min ?? default, hi = max ?? default;
        return InPlace(NativeMethods.Tensor_clamp_(handle, min is null ? null : &lo, max is null ? null : &hi));
    }

    // ---- unary ----
    public Tensor neg() => Wrap(NativeMethods.Tensor_neg(handle));
    public Tensor exp() => Wrap(NativeMethods.Tensor_exp(handle));
    public Tensor exp2() => Wrap(NativeMethods.Tensor_exp2(handle));
    public Tensor expm1() => Wrap(NativeMethods.Tensor_expm1(handle));
    public Tensor log() => Wrap(NativeMethods.Tensor_log(handle));
    public Tensor log2() => Wrap(NativeMethods.Tensor_log2(handle));
    public Tensor log10() => Wrap(NativeMethods.Tensor_log10(handle));
    public Tensor log1p() => Wrap(NativeMethods.Tensor_log1p(handle));
    public Tensor sqrt() => Wrap(NativeMethods.Tensor_sqrt(handle));
    public Tensor rsqrt() => Wrap(NativeMethods.Tensor_rsqrt(handle));
    public Tensor square() => Wrap(NativeMethods.Tensor_square(handle));
    public Tensor reciprocal() => Wrap(NativeMethods.Tensor_reciprocal(handle));
    public Tensor abs() => Wrap(NativeMethods.Tensor_abs(handle));
    public Tensor sign() => Wrap(NativeMethods.Tensor_sign(handle));
    public Tensor floor() => Wrap(NativeMethods.Tensor_floor(handle));
    public Tensor ceil() => Wrap(NativeMethods.Tensor_ceil(handle));
    public Tensor round() => Wrap(NativeMethods.Tensor_round(handle));
    public Tensor trunc() => Wrap(NativeMethods.Tensor_trunc(handle));
    public Tensor frac() => Wrap(NativeMethods.Tensor_frac(handle));
    public Tensor sin() => Wrap(NativeMethods.Tensor_sin(handle));
    public Tensor cos() => Wrap(NativeMethods.Tensor_cos(handle));
    public Tensor tan() => Wrap(NativeMethods.Tensor_tan(handle));
    public Tensor asin() => Wrap(NativeMethods.Tensor_asin(handle));
    public Tensor acos() => Wrap(NativeMethods.Tensor_acos(handle));
    public Tensor atan() => Wrap(NativeMethods.Tensor_atan(handle));
    public Tensor sinh() => Wrap(NativeMethods.Tensor_sinh(handle));
    public Tensor cosh() => Wrap(NativeMethods.Tensor_cosh(handle));
    public Tensor tanh() => Wrap(NativeMethods.Tensor_tanh(handle));
    public Tensor atanh() => Wrap(NativeMethods.Tensor_atanh(handle));
    public Tensor erf() => Wrap(NativeMethods.Tensor_erf(handle));
    public Tensor erfc() => Wrap(NativeMethods.Tensor_erfc(handle));
    public Tensor erfinv() => Wrap(NativeMethods.Tensor_erfinv(handle));
    public Tensor sigmoid() => Wrap(NativeMethods.Tensor_sigmoid(handle));
    public Tensor relu() => Wrap(NativeMethods.Tensor_relu(handle));
    public Tensor silu() => Wrap(NativeMethods.Tensor_silu(handle));
    public Tensor mish() => Wrap(NativeMethods.Tensor_mish(handle));
    public Tensor log_sigmoid() => Wrap(NativeMethods.Tensor_log_sigmoid(handle));
    public Tensor logical_not() => Wrap(NativeMethods.Tensor_logical_not(handle));
    public Tensor bitwise_not() => Wrap(NativeMethods.Tensor_bitwise_not(handle));
    public Tensor isnan() => Wrap(NativeMethods.Tensor_isnan(handle));
    public Tensor isinf() => Wrap(NativeMethods.Tensor_isinf(handle));
    public Tensor isfinite() => Wrap(NativeMethods.Tensor_isfinite(handle));
    public Tensor lgamma() => Wrap(NativeMethods.Tensor_lgamma(handle));
    public Tensor digamma() => Wrap(NativeMethods.Tensor_digamma(handle));
    public Tensor negative() => neg();
    public Tensor softplus(double beta = 1, double threshold = 20) => Wrap(NativeMethods.Tensor_softplus(handle, beta, threshold));
    /// <summary>GELU; <paramref name="approximate"/> = "tanh" for the tanh approximation, "none" for the exact erf form.</summary>
    public Tensor gelu(string approximate = "none") => Wrap(NativeMethods.Tensor_gelu(handle, approximate switch
    {
        "none" => 0,
        "tanh" => 1,
        _ => throw new ArgumentException($"approximate must be 'none' or 'tanh', not '{approximate}'", nameof(approximate)),
    }));
    public Tensor elu(double alpha = 1) => Wrap(NativeMethods.Tensor_elu(handle, alpha));
    public Tensor leaky_relu(double negative_slope = 0.01) => Wrap(NativeMethods.Tensor_leaky_relu(handle, negative_slope));
    public Tensor hardtanh(double min_val = -1, double max_val = 1) => Wrap(NativeMethods.Tensor_hardtanh(handle, min_val, max_val));
    public Tensor nan_to_num(double nan = 0, double? posinf = null, double? neginf = null) =>
        Wrap(NativeMethods.Tensor_nan_to_num(handle, nan, posinf ?? double.MaxValue, neginf ?? double.MinValue));

    public Tensor clamp(Scalar? min = null, Scalar? max = null)
    {
        Scalar lo = min ?? default, hi = max ?? default;
        return Wrap(NativeMethods.Tensor_clamp(handle, min is null ? null : &lo, max is null ? null : &hi));
    }

    public Tensor clamp(Tensor? min, Tensor? max)
    {
        using var lo = new OptionalHandle(min);
        using var hi = new OptionalHandle(max);
        return Wrap(NativeMethods.Tensor_clamp_tensor(handle, lo.Ptr, hi.Ptr));
    }

    public Tensor clamp_min(Scalar min) => clamp(min, null);
    public Tensor clamp_max(Scalar max) => clamp(null, max);
    public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);

    public Tensor lerp(Tensor end, Tensor weight) => Wrap(NativeMethods.Tensor_lerp(handle, end.handle, weight.handle));

    /// <summary><c>x.where(condition, y)</c>: x where condition holds, else y.</summary>
    public Tensor where(Tensor condition, Tensor other) => Wrap(NativeMethods.Tensor_where(condition.handle, handle, other.handle));
    public Tensor where(Tensor condition, Scalar other) => Wrap(NativeMethods.Tensor_where_scalar(condition.handle, handle, other));

    public Tensor softmax(long dim) => Wrap(NativeMethods.Tensor_softmax(handle, dim));
    public Tensor log_softmax(long dim) => Wrap(NativeMethods.Tensor_log_softmax(handle, dim));

    // ---- matrix products ----
    public Tensor matmul(Tensor other) => Wrap(NativeMethods.Tensor_matmul(handle, other.handle));
    public Tensor mm(Tensor other) => Wrap(NativeMethods.Tensor_mm(handle, other.handle));
    public Tensor bmm(Tensor other) => Wrap(NativeMethods.Tensor_bmm(handle, other.handle));
    public Tensor outer(Tensor other) => Wrap(NativeMethods.Tensor_outer(handle, other.handle));
    public Tensor dot(Tensor other) => Wrap(NativeMethods.Tensor_dot(handle, other.handle));
    /// <summary><c>beta * this + alpha * (m1 @ m2)</c>.</summary>
    public Tensor addmm(Tensor m1, Tensor m2, double beta = 1, double alpha = 1) =>
        Wrap(NativeMethods.Tensor_addmm(handle, m1.handle, m2.handle, beta, alpha));
}
