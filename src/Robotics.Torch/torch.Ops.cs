using System.Text;
using Robotics.Torch.Native;

namespace Robotics.Torch;

// torch.* functions that mirror Tensor methods (torch.exp(x) == x.exp()), plus the ones that
// take several tensors (cat, stack, where, einsum, _foreach_*).
public static unsafe partial class torch
{
    public static Tensor cat(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        Span<IntPtr> buf = tensors.Length <= 16 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        using var list = new HandleList(tensors, buf);
        fixed (IntPtr* p = list) return Tensor.Wrap(NativeMethods.Tensor_cat(p, list.Length, dim));
    }

    public static Tensor concat(ReadOnlySpan<Tensor> tensors, long dim = 0) => cat(tensors, dim);

    public static Tensor stack(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        Span<IntPtr> buf = tensors.Length <= 16 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        using var list = new HandleList(tensors, buf);
        fixed (IntPtr* p = list) return Tensor.Wrap(NativeMethods.Tensor_stack(p, list.Length, dim));
    }

    /// <summary>The shape the given shapes broadcast to (NumPy rules), or a TorchException when they don't.</summary>
    public static long[] broadcast_shapes(params long[][] shapes)
    {
        var rank = shapes.Length == 0 ? 0 : shapes.Max(s => s.Length);
        var result = Enumerable.Repeat(1L, rank).ToArray();
        foreach (var s in shapes)
            for (int k = 0; k < s.Length; k++)
            {
                ref var r = ref result[rank - s.Length + k];
                if (s[k] == r || s[k] == 1) continue;
                if (r != 1)
                    throw new TorchException($"Shape mismatch: objects cannot be broadcast to a single shape ([{string.Join(", ", shapes.Select(x => string.Join(", ", x)))}])");
                r = s[k];
            }
        return result;
    }

    /// <summary>Elementwise choice: <paramref name="x"/> where <paramref name="condition"/> holds, else <paramref name="y"/>.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => x.where(condition, y);
    public static Tensor where(Tensor condition, Tensor x, Scalar y) => x.where(condition, y);
    public static Tensor where(Tensor condition, Scalar x, Tensor y)
    {
        using var flipped = condition.logical_not().DetachFromDisposeScope();
        return Tensor.Wrap(NativeMethods.Tensor_where_scalar(flipped.handle, y.handle, x));
    }

    /// <summary>Einstein summation, e.g. <c>torch.einsum("bij,bjk->bik", a, b)</c>.</summary>
    public static Tensor einsum(string equation, params ReadOnlySpan<Tensor> operands)
    {
        var eq = Encoding.UTF8.GetBytes(equation + "\0");
        Span<IntPtr> buf = operands.Length <= 16 ? stackalloc IntPtr[operands.Length] : new IntPtr[operands.Length];
        using var list = new HandleList(operands, buf);
        fixed (byte* e = eq)
        fixed (IntPtr* p = list)
            return Tensor.Wrap(NativeMethods.Tensor_einsum(e, p, list.Length));
    }

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    public static Tensor dot(Tensor a, Tensor b) => a.dot(b);
    public static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta = 1, double alpha = 1) => input.addmm(m1, m2, beta, alpha);

    public static Tensor add(Tensor a, Tensor b) => a.add(b);
    public static Tensor sub(Tensor a, Tensor b) => a.sub(b);
    public static Tensor mul(Tensor a, Tensor b) => a.mul(b);
    public static Tensor div(Tensor a, Tensor b) => a.div(b);
    public static Tensor pow(Tensor a, Tensor exponent) => a.pow(exponent);
    public static Tensor pow(Tensor a, Scalar exponent) => a.pow(exponent);
    public static Tensor pow(Scalar a, Tensor exponent) => exponent.rpow(a);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    /// <summary>Elementwise minimum of two tensors, as <c>torch.min(a, b)</c>.</summary>
    public static Tensor min(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor max(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor atan2(Tensor a, Tensor b) => a.atan2(b);
    public static Tensor xlogy(Tensor a, Tensor b) => a.xlogy(b);
    public static Tensor lerp(Tensor a, Tensor end, Tensor weight) => a.lerp(end, weight);
    public static Tensor clamp(Tensor a, Scalar? min = null, Scalar? max = null) => a.clamp(min, max);
    public static Tensor clamp(Tensor a, Tensor? min, Tensor? max) => a.clamp(min, max);
    public static Tensor eq(Tensor a, Tensor b) => a.eq(b);
    public static Tensor ne(Tensor a, Tensor b) => a.ne(b);
    public static Tensor lt(Tensor a, Tensor b) => a.lt(b);
    public static Tensor le(Tensor a, Tensor b) => a.le(b);
    public static Tensor gt(Tensor a, Tensor b) => a.gt(b);
    public static Tensor ge(Tensor a, Tensor b) => a.ge(b);
    public static Tensor logical_and(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor logical_or(Tensor a, Tensor b) => a.logical_or(b);
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) => a.allclose(b, rtol, atol, equal_nan);
    public static bool equal(Tensor a, Tensor b) => a.equal(b);

    public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) => x.softplus(beta, threshold);
    public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
    public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

    public static Tensor sum(Tensor x) => x.sum();
    public static Tensor sum(Tensor x, long dim, bool keepdim = false) => x.sum(dim, keepdim);
    public static Tensor mean(Tensor x) => x.mean();
    public static Tensor mean(Tensor x, long dim, bool keepdim = false) => x.mean(dim, keepdim);
    public static Tensor max(Tensor x) => x.max();
    public static Tensor min(Tensor x) => x.min();
    public static (Tensor values, Tensor indices) max(Tensor x, long dim, bool keepdim = false) => x.max(dim, keepdim);
    public static (Tensor values, Tensor indices) min(Tensor x, long dim, bool keepdim = false) => x.min(dim, keepdim);
    public static Tensor argmax(Tensor x, long? dim = null, bool keepdim = false) => x.argmax(dim, keepdim);
    public static Tensor argmin(Tensor x, long? dim = null, bool keepdim = false) => x.argmin(dim, keepdim);
    public static Tensor logsumexp(Tensor x, long dim, bool keepdim = false) => x.logsumexp(dim, keepdim);
    public static Tensor std(Tensor x, long dim, bool keepdim = false, long correction = 1) => x.std(dim, keepdim, correction);
    public static Tensor var(Tensor x, long dim, bool keepdim = false, long correction = 1) => x.var(dim, keepdim, correction);
    public static Tensor norm(Tensor x, double p = 2) => x.norm(p);
    public static Tensor cumsum(Tensor x, long dim) => x.cumsum(dim);
    public static Tensor flatten(Tensor x, long start_dim = 0, long end_dim = -1) => x.flatten(start_dim, end_dim);
    public static Tensor reshape(Tensor x, params ReadOnlySpan<long> shape) => x.reshape(shape);
    public static Tensor squeeze(Tensor x, long dim) => x.squeeze(dim);
    public static Tensor unsqueeze(Tensor x, long dim) => x.unsqueeze(dim);
    public static Tensor transpose(Tensor x, long dim0, long dim1) => x.transpose(dim0, dim1);
    public static Tensor permute(Tensor x, params ReadOnlySpan<long> dims) => x.permute(dims);
    public static Tensor narrow(Tensor x, long dim, long start, long length) => x.narrow(dim, start, length);
    public static Tensor index_select(Tensor x, long dim, Tensor index) => x.index_select(dim, index);
    public static Tensor gather(Tensor x, long dim, Tensor index) => x.gather(dim, index);
    public static Tensor masked_fill(Tensor x, Tensor mask, Scalar value) => x.masked_fill(mask, value);
    public static Tensor[] chunk(Tensor x, long chunks, long dim = 0) => x.chunk(chunks, dim);
    public static Tensor[] split(Tensor x, long split_size, long dim = 0) => x.split(split_size, dim);
    public static Tensor[] unbind(Tensor x, long dim = 0) => x.unbind(dim);
    public static Tensor tril(Tensor x, long diagonal = 0) => x.tril(diagonal);
    public static Tensor triu(Tensor x, long diagonal = 0) => x.triu(diagonal);
    public static Tensor nonzero(Tensor x) => x.nonzero();
    public static Tensor flip(Tensor x, params ReadOnlySpan<long> dims) => x.flip(dims);

    /// <summary>Draws <paramref name="num_samples"/> category indices per row of (unnormalised) <paramref name="probs"/>.</summary>
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false) =>
        Tensor.Wrap(NativeMethods.Tensor_multinomial(probs.handle, num_samples, replacement ? (byte)1 : (byte)0));

    /// <summary>0/1 draws with the given probabilities (same shape and dtype as <paramref name="probs"/>).</summary>
    public static Tensor bernoulli(Tensor probs) => Tensor.Wrap(NativeMethods.Tensor_bernoulli(probs.handle));

    // ---- list ops: one native call for a whole list (SB3's polyak update uses these) ----

    /// <summary>Multiplies every tensor in place by <paramref name="scalar"/>.</summary>
    public static void _foreach_mul_(ReadOnlySpan<Tensor> tensors, Scalar scalar)
    {
        Span<IntPtr> buf = tensors.Length <= 64 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        using var list = new HandleList(tensors, buf);
        fixed (IntPtr* p = list) TorchException.Check(NativeMethods.Tensor_foreach_mul_scalar_(p, list.Length, scalar));
    }

    /// <summary><c>tensors[i] += alpha * others[i]</c> for every i, in place.</summary>
    public static void _foreach_add_(ReadOnlySpan<Tensor> tensors, ReadOnlySpan<Tensor> others, Scalar alpha)
    {
        if (tensors.Length != others.Length)
            throw new TorchException($"Tensor lists must have the same number of tensors, got {tensors.Length} and {others.Length}");
        Span<IntPtr> b1 = tensors.Length <= 64 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        Span<IntPtr> b2 = others.Length <= 64 ? stackalloc IntPtr[others.Length] : new IntPtr[others.Length];
        using var l1 = new HandleList(tensors, b1);
        using var l2 = new HandleList(others, b2);
        fixed (IntPtr* p1 = l1)
        fixed (IntPtr* p2 = l2)
            TorchException.Check(NativeMethods.Tensor_foreach_add_list_(p1, p2, l1.Length, alpha));
    }

    public static void _foreach_zero_(ReadOnlySpan<Tensor> tensors)
    {
        Span<IntPtr> buf = tensors.Length <= 64 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        using var list = new HandleList(tensors, buf);
        fixed (IntPtr* p = list) TorchException.Check(NativeMethods.Tensor_foreach_zero_(p, list.Length));
    }

    // ---- unary mirrors ----
    public static Tensor neg(Tensor x) => x.neg();
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor exp2(Tensor x) => x.exp2();
    public static Tensor expm1(Tensor x) => x.expm1();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor log2(Tensor x) => x.log2();
    public static Tensor log10(Tensor x) => x.log10();
    public static Tensor log1p(Tensor x) => x.log1p();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor rsqrt(Tensor x) => x.rsqrt();
    public static Tensor square(Tensor x) => x.square();
    public static Tensor reciprocal(Tensor x) => x.reciprocal();
    public static Tensor abs(Tensor x) => x.abs();
    public static Tensor sign(Tensor x) => x.sign();
    public static Tensor floor(Tensor x) => x.floor();
    public static Tensor ceil(Tensor x) => x.ceil();
    public static Tensor round(Tensor x) => x.round();
    public static Tensor trunc(Tensor x) => x.trunc();
    public static Tensor frac(Tensor x) => x.frac();
    public static Tensor sin(Tensor x) => x.sin();
    public static Tensor cos(Tensor x) => x.cos();
    public static Tensor tan(Tensor x) => x.tan();
    public static Tensor asin(Tensor x) => x.asin();
    public static Tensor acos(Tensor x) => x.acos();
    public static Tensor atan(Tensor x) => x.atan();
    public static Tensor sinh(Tensor x) => x.sinh();
    public static Tensor cosh(Tensor x) => x.cosh();
    public static Tensor tanh(Tensor x) => x.tanh();
    public static Tensor atanh(Tensor x) => x.atanh();
    public static Tensor erf(Tensor x) => x.erf();
    public static Tensor erfc(Tensor x) => x.erfc();
    public static Tensor erfinv(Tensor x) => x.erfinv();
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    public static Tensor relu(Tensor x) => x.relu();
    public static Tensor logical_not(Tensor x) => x.logical_not();
    public static Tensor bitwise_not(Tensor x) => x.bitwise_not();
    public static Tensor isnan(Tensor x) => x.isnan();
    public static Tensor isinf(Tensor x) => x.isinf();
    public static Tensor isfinite(Tensor x) => x.isfinite();
    public static Tensor lgamma(Tensor x) => x.lgamma();
    public static Tensor digamma(Tensor x) => x.digamma();
}
