using Robotics.Torch.Native;
using static Robotics.Torch.torch;
using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with PyTorch's semantics: L2 weight decay added to the gradient,
/// bias-corrected moments, per-parameter step counts, optional AMSGrad. One native call per
/// group per step; on CPU float32 the update is a single fused pass over each parameter.
/// Betas, eps and weight decay are optimizer-wide; lr is per group (schedulers change it).
/// </summary>
public class Adam : Optimizer
{
    private readonly GroupState[] state;

    public (double beta1, double beta2) betas { get; private set; }
    public double eps { get; private set; }
    public double weight_decay { get; private set; }
    public bool amsgrad { get; }
    public bool maximize { get; }

    /// <summary>True for AdamW: decay multiplies the weights directly instead of entering the gradient.</summary>
    protected virtual bool Decoupled => false;

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weight_decay, amsgrad, maximize) { }

    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false) : base(groups, lr)
    {
        this.betas = betas ?? (0.9, 0.999);
        if (this.betas.beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), $"Invalid beta parameter at index 0: {this.betas.beta1}");
        if (this.betas.beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(betas), $"Invalid beta parameter at index 1: {this.betas.beta2}");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Invalid epsilon value");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "Invalid weight_decay value");
        this.eps = eps;
        this.weight_decay = weight_decay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
        state = param_groups.Select(g => new GroupState(g.parameters.Count)).ToArray();
    }

    /// <summary>Moments and step counts of one group, created on the first step on the parameters' device.</summary>
    private sealed class GroupState(int n)
    {
        public Tensor[]? exp_avg, exp_avg_sq, max_exp_avg_sq;
        public readonly long[] steps = new long[n];

        public void Create(IReadOnlyList<Parameter> ps, bool amsgrad)
        {
            exp_avg = ps.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            exp_avg_sq = ps.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            if (amsgrad) max_exp_avg_sq = ps.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }

        public void Dispose()
        {
            foreach (var t in (exp_avg ?? []).Concat(exp_avg_sq ?? []).Concat(max_exp_avg_sq ?? [])) t.Dispose();
            exp_avg = exp_avg_sq = max_exp_avg_sq = null;
        }
    }

    public override void step()
    {
        for (int g = 0; g < state.Length; g++) StepGroup(g);
    }

    private unsafe void StepGroup(int g)
    {
        var group = param_groups[g];
        var s = state[g];
        var ps = group.items;
        if (s.exp_avg is null) s.Create(ps, amsgrad);
        int n = ps.Length;
        Span<IntPtr> b0 = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        Span<IntPtr> b1 = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        Span<IntPtr> b2 = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        Span<IntPtr> b3 = amsgrad ? (n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n]) : default;
        using var p = new HandleList(ps, b0);
        using var m = new HandleList(s.exp_avg, b1);
        using var v = new HandleList(s.exp_avg_sq!, b2);
        using var vmax = new HandleList(s.max_exp_avg_sq ?? [], b3);
        fixed (IntPtr* pp = p)
        fixed (IntPtr* mp = m)
        fixed (IntPtr* vp = v)
        fixed (IntPtr* xp = vmax)
        fixed (long* st = s.steps)
            TorchException.Check(NativeMethods.Optim_adam_step(pp, mp, vp, amsgrad ? xp : null, st, n, group.lr, betas.beta1, betas.beta2,
                                                               eps, weight_decay, Decoupled ? (byte)1 : (byte)0, amsgrad ? (byte)1 : (byte)0,
                                                               maximize ? (byte)1 : (byte)0));
    }

    private (GroupState state, int position) Locate(int index)
    {
        for (int g = 0; g < state.Length; g++)
        {
            var count = param_groups[g].parameters.Count;
            if (index < count) return (state[g], index);
            index -= count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    protected override IEnumerable<(string name, Tensor value)> ParameterState(int index)
    {
        var (s, k) = Locate(index);
        if (s.exp_avg is null) yield break;
        yield return ("step", tensor(s.steps[k]));
        yield return ("exp_avg", s.exp_avg[k]);
        yield return ("exp_avg_sq", s.exp_avg_sq![k]);
        if (s.max_exp_avg_sq is not null) yield return ("max_exp_avg_sq", s.max_exp_avg_sq[k]);
    }

    protected override void LoadParameterState(int index, IReadOnlyDictionary<string, Tensor> entries)
    {
        var (s, k) = Locate(index);
        var g = Array.IndexOf(state, s);
        var ps = param_groups[g].parameters;
        if (s.exp_avg is null) s.Create(ps, amsgrad);
        if (entries.Count == 0)
        {
            s.steps[k] = 0;
            foreach (var t in new[] { s.exp_avg![k], s.exp_avg_sq![k] }.Concat(s.max_exp_avg_sq is null ? [] : [s.max_exp_avg_sq[k]])) t.zero_();
            return;
        }
        s.steps[k] = Required(entries, "step", index).item<long>();
        Replace(s.exp_avg!, k, Required(entries, "exp_avg", index), ps[k]);
        Replace(s.exp_avg_sq!, k, Required(entries, "exp_avg_sq", index), ps[k]);
        if (s.max_exp_avg_sq is not null) Replace(s.max_exp_avg_sq, k, Required(entries, "max_exp_avg_sq", index), ps[k]);
    }

    private static Tensor Required(IReadOnlyDictionary<string, Tensor> entries, string name, int index) =>
        entries.TryGetValue(name, out var t) ? t : throw new TorchException($"optimizer state for parameter {index} lacks '{name}'");

    private static void Replace(Tensor[] slots, int k, Tensor source, Parameter like)
    {
        if (!source.shape.SequenceEqual(like.shape))
            throw new TorchException($"optimizer state has shape [{string.Join(", ", source.shape)}] but the parameter has [{string.Join(", ", like.shape)}]");
        var copy = OwnedCopy(source, like);
        slots[k].Dispose();
        slots[k] = copy;
    }

    protected override IEnumerable<(string name, double value)> Hyperparameters(ParamGroup group) =>
        base.Hyperparameters(group).Concat([("beta1", betas.beta1), ("beta2", betas.beta2), ("eps", eps), ("weight_decay", weight_decay)]);

    protected override void SetHyperparameters(ParamGroup group, IReadOnlyDictionary<string, double> values)
    {
        base.SetHyperparameters(group, values);
        betas = (values.GetValueOrDefault("beta1", betas.beta1), values.GetValueOrDefault("beta2", betas.beta2));
        eps = values.GetValueOrDefault("eps", eps);
        weight_decay = values.GetValueOrDefault("weight_decay", weight_decay);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var s in state) s.Dispose();
    }
}
