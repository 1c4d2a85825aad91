using NUnit.Framework;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Torch.Tests;

public class ModuleTests
{
    /// <summary>A user module: parameters and submodules registered from fields, a buffer explicitly.</summary>
    private sealed class TwoLayer : nn.Module<Tensor, Tensor>
    {
        public readonly Linear fc1 = nn.Linear(3, 5);
        private readonly Linear fc2 = nn.Linear(5, 2);
        public Parameter scale { get; } = new(ones(2));

        public TwoLayer() => register_buffer("calls", zeros([1], int64));

        public override Tensor forward(Tensor x) => fc2.call(fc1.call(x).tanh()) * scale;
    }

    [Test]
    public void LinearMatchesPyTorchInitForTheSameSeed()
    {
        // Printed by Python 1.13: torch.manual_seed(0); nn.Linear(3, 2).weight / .bias
        manual_seed(0);
        using var lin = nn.Linear(3, 2);
        Assert.That(lin.weight.ToArray<float>(), Is.EqualTo(new[] { -0.0043f, 0.3097f, -0.4752f, -0.4249f, -0.2224f, 0.1548f }).Within(1e-4));
        Assert.That(lin.bias!.ToArray<float>(), Is.EqualTo(new[] { -0.0114f, 0.4578f }).Within(1e-4));
        var bound = 1 / Math.Sqrt(3);
        Assert.That(lin.weight.abs().max().item<float>(), Is.LessThanOrEqualTo(bound));
    }

    [Test]
    public void FieldsRegisterUnderTheirNames()
    {
        using var scope = NewDisposeScope();
        using var m = new TwoLayer();
        Assert.That(m.named_parameters().Select(p => p.name),
                    Is.EqualTo(new[] { "scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }));
        Assert.That(m.named_buffers().Select(b => b.name), Is.EqualTo(new[] { "calls" }));
        Assert.That(m.named_children().Select(c => c.name), Is.EqualTo(new[] { "fc1", "fc2" }));
        Assert.That(m.named_modules().Select(c => c.name), Is.EqualTo(new[] { "", "fc1", "fc2" }));
        Assert.That(m.state_dict().Keys, Is.EquivalentTo(new[] { "scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "calls" }));
        Assert.That(m.call(randn(4, 3)).shape, Is.EqualTo(new long[] { 4, 2 }));
        Assert.That(m.parameters().All(p => p.requires_grad && p.is_leaf));
    }

    [Test]
    public void SequentialAndMlpNamesMatchPyTorch()
    {
        using var scope = NewDisposeScope();
        using var seq = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
        Assert.That(seq.state_dict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }));
        using var mlp = nn.MLP([4, 16, 16, 3], activation: () => nn.Tanh(), output_activation: () => nn.Tanh());
        Assert.That(mlp.Count, Is.EqualTo(6));
        Assert.That(mlp[5], Is.InstanceOf<Tanh>());
        var y = mlp.call(randn(10, 4));
        Assert.That(y.shape, Is.EqualTo(new long[] { 10, 3 }));
        Assert.That(y.abs().max().item<float>(), Is.LessThanOrEqualTo(1f));
        using var named = nn.Sequential(("enc", nn.Linear(2, 2)), ("act", nn.GELU()));
        Assert.That(named.state_dict().Keys, Is.EqualTo(new[] { "enc.weight", "enc.bias" }));
    }

    [Test]
    public void SequentialKeepsOnlyItsOutputInTheScope()
    {
        using var outer = NewDisposeScope();
        using var seq = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Identity(), nn.ReLU());
        var x = randn(2, 4);
        using var scope = NewDisposeScope();
        var y = seq.call(x);
        Assert.That(scope.Count, Is.EqualTo(1), "intermediates are freed as the pass goes");
        Assert.That(x.IsDisposed, Is.False, "the input is the caller's");
        y.sum().backward();
        Assert.That(seq.parameters().All(p => p.grad is not null), "autograd kept what backward needed");
    }

    [Test]
    public void LayersHaveTheRightShapesAndInit()
    {
        using var scope = NewDisposeScope();
        using var ln = nn.LayerNorm(6);
        Assert.That(ln.weight!.ToArray<float>(), Is.All.EqualTo(1f));
        Assert.That(ln.call(randn(3, 6)).mean(-1).abs().max().item<float>(), Is.LessThan(1e-5f));
        using var conv = nn.Conv2d(3, 8, 3, stride: 2, padding: 1);
        Assert.That(conv.call(randn(2, 3, 16, 16)).shape, Is.EqualTo(new long[] { 2, 8, 8, 8 }));
        Assert.That(conv.weight.shape, Is.EqualTo(new long[] { 8, 3, 3, 3 }));
        using var emb = nn.Embedding(10, 4, padding_idx: 0);
        Assert.That(emb.call(tensor(new long[,] { { 1, 0 }, { 9, 3 } })).shape, Is.EqualTo(new long[] { 2, 2, 4 }));
        Assert.That(emb.weight[0].ToArray<float>(), Is.All.EqualTo(0f), "padding row starts at zero");
        using var flat = nn.Flatten();
        Assert.That(flat.call(zeros(2, 3, 4)).shape, Is.EqualTo(new long[] { 2, 12 }));
        foreach (var act in new nn.Module<Tensor, Tensor>[] { nn.ReLU(), nn.Tanh(), nn.GELU(), nn.SiLU(), nn.Sigmoid(), nn.ELU(), nn.LeakyReLU(), nn.Mish(), nn.Softplus() })
            Assert.That(act.call(zeros(3)).shape, Is.EqualTo(new long[] { 3 }), act.GetType().Name);
        Assert.That(nn.SiLU().call(tensor(new[] { 1.0 })).item<double>(), Is.EqualTo(1 / (1 + Math.Exp(-1))).Within(1e-12));
    }

    [Test]
    public void DropoutFollowsTrainAndEval()
    {
        using var scope = NewDisposeScope();
        using var net = nn.Sequential(nn.Dropout(0.5));
        var x = ones(10_000);
        var y = net.call(x);
        var kept = (y > 0).@float().mean().item<float>();
        Assert.That(kept, Is.EqualTo(0.5f).Within(0.03f));
        Assert.That(y.max().item<float>(), Is.EqualTo(2f), "survivors are scaled by 1/(1-p)");
        net.eval();
        Assert.That(net.training, Is.False);
        Assert.That(net[0].training, Is.False, "eval reaches submodules");
        Assert.That(net.call(x).equal(x));
        net.train();
        Assert.That(net[0].training);
    }

    [Test]
    public void MultiheadAttentionShapesAndMasks()
    {
        using var scope = NewDisposeScope();
        using var mha = nn.MultiheadAttention(8, 2);
        var q = randn(5, 3, 8);
        var kv = randn(7, 3, 8);
        var (out1, w) = mha.forward(q, kv, kv);
        Assert.That(out1.shape, Is.EqualTo(new long[] { 5, 3, 8 }));
        Assert.That(w!.shape, Is.EqualTo(new long[] { 3, 5, 7 }));
        Assert.That(w.sum(-1).sub(1).abs().max().item<float>(), Is.LessThan(1e-5f));
        var padding = zeros([3, 7], @bool);
        padding[.., 5..] = ones([3, 2], @bool);
        var (_, wPad) = mha.forward(q, kv, kv, key_padding_mask: padding);
        Assert.That(wPad![.., .., 5..].abs().max().item<float>(), Is.EqualTo(0f), "padded keys get no weight");
        var (_, wHeads) = mha.forward(q, kv, kv, average_attn_weights: false);
        Assert.That(wHeads!.shape, Is.EqualTo(new long[] { 3, 2, 5, 7 }));
        using var bf = nn.MultiheadAttention(8, 4, batch_first: true);
        var x = randn(2, 6, 8);
        var (self, causalW) = bf.forward(x, need_weights: true, is_causal: true);
        Assert.That(self.shape, Is.EqualTo(new long[] { 2, 6, 8 }));
        Assert.That(causalW!.triu(1).abs().max().item<float>(), Is.EqualTo(0f), "no attention to the future");
        Assert.That(mha.state_dict().Keys, Is.EquivalentTo(new[] { "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias" }));
    }

    [Test]
    public void StateDictRoundTripAndErrors()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var a = new TwoLayer();
        using var b = new TwoLayer();
        var x = randn(4, 3);
        Assert.That(a.call(x).equal(b.call(x)), Is.False);
        b.load_state_dict(a.state_dict());
        Assert.That(a.call(x).equal(b.call(x)));
        var sd = new Dictionary<string, Tensor>(a.state_dict());
        sd.Remove("scale");
        sd["extra"] = zeros(1);
        var e = Assert.Throws<TorchException>(() => b.load_state_dict(sd));
        Assert.That(e!.Message, Does.Contain("missing keys [scale]").And.Contain("unexpected keys [extra]"));
        var (missing, unexpected) = b.load_state_dict(sd, strict: false);
        Assert.That(missing, Is.EqualTo(new[] { "scale" }));
        Assert.That(unexpected, Is.EqualTo(new[] { "extra" }));
        var wrong = new Dictionary<string, Tensor>(a.state_dict()) { ["fc1.bias"] = zeros(4) };
        Assert.That(Assert.Throws<TorchException>(() => b.load_state_dict(wrong))!.Message, Does.Contain("size mismatch for fc1.bias"));
    }

    [Test]
    public void ToKeepsParameterIdentity()
    {
        using var scope = NewDisposeScope();
        using var m = new TwoLayer();
        var before = m.parameters().ToList();
        var opt = optim.Adam(m.parameters(), 0.01);
        m.to(float64);
        Assert.That(m.parameters().ToList(), Is.EqualTo(before).Using<Parameter>(ReferenceEquals), "same objects, new data");
        Assert.That(m.parameters().All(p => p.dtype == ScalarType.Float64));
        Assert.That(m.buffers().Single().dtype, Is.EqualTo(ScalarType.Int64), "integer buffers keep their dtype");
        var loss = m.call(randn([4, 3], float64)).pow(2).sum();
        loss.backward();
        opt.step();
        m.to(CPU);
        opt.Dispose();
    }

    [Test]
    public void ATinyRegressionLearns()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var net = nn.MLP([1, 32, 32, 1], activation: () => nn.Tanh());
        using var opt = optim.Adam(net.parameters(), 1e-2);
        var x = linspace(-3, 3, 128).unsqueeze(1);
        var y = x.sin();
        double Loss() { using var s = NewDisposeScope(); using var _ = no_grad(); return F.mse_loss(net.call(x), y).item<double>(); }
        var start = Loss();
        for (int i = 0; i < 300; i++)
        {
            using var step = NewDisposeScope();
            opt.zero_grad();
            F.mse_loss(net.call(x), y).backward();
            opt.step();
        }
        Assert.That(Loss(), Is.LessThan(start / 20), $"loss fell from {start}");
    }

    [Test]
    public void DisposingAModuleFreesItsTensors()
    {
        var m = new TwoLayer();
        var ps = m.parameters().ToList();
        var buffer = m.buffers().Single();
        m.Dispose();
        Assert.That(ps.All(p => p.IsDisposed) && buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => ps[0].sum());
    }
}
