using Robotics.Torch.Native;
using static Robotics.Torch.torch;
using static Robotics.Torch.torch.optim;

namespace Robotics.Torch.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay,
/// as torch.optim.SGD (the momentum buffer starts as the first gradient). One native call per group.
/// </summary>
public sealed class SGD : Optimizer
{
    private readonly Tensor[]?[] buffers;
    private readonly long[][] steps;

    public double momentum { get; private set; }
    public double dampening { get; private set; }
    public double weight_decay { get; private set; }
    public bool nesterov { get; }
    public bool maximize { get; }

    public SGD(IEnumerable<Parameter> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, double weight_decay = 0,
               bool nesterov = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weight_decay, nesterov, maximize) { }

    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0, double weight_decay = 0,
               bool nesterov = false, bool maximize = false) : base(groups, lr)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Invalid momentum value");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "Invalid weight_decay value");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        this.momentum = momentum;
        this.dampening = dampening;
        this.weight_decay = weight_decay;
        this.nesterov = nesterov;
        this.maximize = maximize;
        buffers = new Tensor[]?[param_groups.Count];
        steps = param_groups.Select(g => new long[g.parameters.Count]).ToArray();
    }

    public override void step()
    {
        for (int g = 0; g < param_groups.Count; g++) StepGroup(g);
    }

    private unsafe void StepGroup(int g)
    {
        var group = param_groups[g];
        var ps = group.items;
        int n = ps.Length;
        if (momentum != 0 && buffers[g] is null) buffers[g] = ps.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        Span<IntPtr> b0 = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        Span<IntPtr> b1 = momentum != 0 ? (n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n]) : default;
        using var p = new HandleList(ps, b0);
        using var m = new HandleList(buffers[g] ?? [], b1);
        fixed (IntPtr* pp = p)
        fixed (IntPtr* mp = m)
        fixed (long* st = steps[g])
            TorchException.Check(NativeMethods.Optim_sgd_step(pp, momentum != 0 ? mp : null, st, n, group.lr, momentum, dampening, weight_decay,
                                                              nesterov ? (byte)1 : (byte)0, maximize ? (byte)1 : (byte)0));
    }

    private (int group, int position) Locate(int index)
    {
        for (int g = 0; g < param_groups.Count; g++)
        {
            if (index < param_groups[g].parameters.Count) return (g, index);
            index -= param_groups[g].parameters.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    protected override IEnumerable<(string name, Tensor value)> ParameterState(int index)
    {
        var (g, k) = Locate(index);
        if (steps[g][k] == 0) yield break;
        yield return ("step", tensor(steps[g][k]));
        if (buffers[g] is { } b) yield return ("momentum_buffer", b[k]);
    }

    protected override void LoadParameterState(int index, IReadOnlyDictionary<string, Tensor> entries)
    {
        var (g, k) = Locate(index);
        steps[g][k] = entries.TryGetValue("step", out var s) ? s.item<long>() : 0;
        if (momentum == 0) return;
        var p = param_groups[g].parameters[k];
        buffers[g] ??= param_groups[g].parameters.Select(q => zeros_like(q).DetachFromDisposeScope()).ToArray();
        if (entries.TryGetValue("momentum_buffer", out var buf))
        {
            if (!buf.shape.SequenceEqual(p.shape))
                throw new TorchException($"optimizer state has shape [{string.Join(", ", buf.shape)}] but the parameter has [{string.Join(", ", p.shape)}]");
            var copy = OwnedCopy(buf, p);
            buffers[g]![k].Dispose();
            buffers[g]![k] = copy;
        }
    }

    protected override IEnumerable<(string name, double value)> Hyperparameters(ParamGroup group) =>
        base.Hyperparameters(group).Concat([("momentum", momentum), ("dampening", dampening), ("weight_decay", weight_decay)]);

    protected override void SetHyperparameters(ParamGroup group, IReadOnlyDictionary<string, double> values)
    {
        base.SetHyperparameters(group, values);
        momentum = values.GetValueOrDefault("momentum", momentum);
        dampening = values.GetValueOrDefault("dampening", dampening);
        weight_decay = values.GetValueOrDefault("weight_decay", weight_decay);
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var b in buffers)
            foreach (var t in b ?? []) t.Dispose();
    }
}
