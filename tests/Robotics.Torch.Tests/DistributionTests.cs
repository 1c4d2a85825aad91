using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class DistributionTests
{
    private static double NormalLogPdf(double x, double mu, double sigma) =>
        -0.5 * Math.Pow((x - mu) / sigma, 2) - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);

    [Test]
    public void NormalLogProbEntropyAndSampling()
    {
        using var scope = NewDisposeScope();
        var loc = tensor(new[] { 0.0, 1.5 });
        var scale = tensor(new[] { 1.0, 0.3 });
        var d = distributions.Normal(loc, scale);
        var x = tensor(new[] { 0.7, 1.0 });
        Assert.That(d.log_prob(x).ToArray<double>(), Is.EqualTo(new[] { NormalLogPdf(0.7, 0, 1), NormalLogPdf(1.0, 1.5, 0.3) }).Within(1e-12));
        Assert.That(d.entropy().ToArray<double>(), Is.EqualTo(new[] { 0.5 + 0.5 * Math.Log(2 * Math.PI), 0.5 + 0.5 * Math.Log(2 * Math.PI) + Math.Log(0.3) }).Within(1e-12));
        manual_seed(0);
        var many = distributions.Normal(full([200_000], 2.0, float64), full([200_000], 0.5, float64)).sample().ToArray<double>();
        Assert.That(many.Average(), Is.EqualTo(2).Within(0.01));
        Assert.That(Math.Sqrt(many.Average(v => (v - 2) * (v - 2))), Is.EqualTo(0.5).Within(0.01));
    }

    [Test]
    public void RsampleIsDifferentiableAndSampleIsNot()
    {
        using var scope = NewDisposeScope();
        var loc = zeros([3], requires_grad: true);
        var scale = ones([3], requires_grad: true);
        var d = distributions.Normal(loc, scale);
        Assert.That(d.sample().requires_grad, Is.False);
        var r = d.rsample();
        Assert.That(r.requires_grad);
        r.sum().backward();
        Assert.That(loc.grad!.ToArray<float>(), Is.All.EqualTo(1f), "d(loc + scale·eps)/dloc = 1");
    }

    [Test]
    public void TanhNormalUsesTheChangeOfVariables()
    {
        using var scope = NewDisposeScope();
        var (mu, sigma) = (0.3, 0.8);
        var d = distributions.TanhNormal(tensor(new[] { mu }), tensor(new[] { sigma }));
        foreach (var a in new[] { -0.99, -0.2, 0.0, 0.5, 0.999 })
        {
            var u = Math.Atanh(a);
            var expected = NormalLogPdf(u, mu, sigma) - Math.Log(1 - a * a);
            Assert.That(d.log_prob(tensor(new[] { a })).item<double>(), Is.EqualTo(expected).Within(1e-9), $"a = {a}");
        }
        manual_seed(5);
        var (action, lp) = d.rsample_with_log_prob();
        Assert.That(lp.item<double>(), Is.EqualTo(d.log_prob(action).item<double>()).Within(1e-9), "the pre-tanh path agrees with log_prob(action)");
        var s = distributions.TanhNormal(zeros([10_000], float64), full([10_000], 3.0, float64)).sample();
        Assert.That(s.abs().max().item<double>(), Is.LessThanOrEqualTo(1.0));
        Assert.That(d.mean.item<double>(), Is.EqualTo(Math.Tanh(mu)).Within(1e-12));
        // Far in the tail the stable form stays finite where log(1 - a² + 1e-6) saturates.
        var far = Robotics.Torch.Distributions.TanhNormal.LogAbsDetJacobian(tensor(new[] { 20.0 })).item<double>();
        Assert.That(far, Is.EqualTo(2 * (Math.Log(2) - 20 - Math.Log(1 + Math.Exp(-40)))).Within(1e-9));
        Assert.Throws<NotSupportedException>(() => d.entropy());
    }

    [Test]
    public void CategoricalFromLogitsAndProbs()
    {
        using var scope = NewDisposeScope();
        var probs = new[] { 0.1, 0.2, 0.7 };
        var byProbs = distributions.Categorical(probs: tensor(probs));
        var byLogits = distributions.Categorical(logits: tensor(probs).log() + 5);
        var values = tensor(new long[] { 0, 2, 1 });
        foreach (var d in new[] { byProbs, byLogits })
        {
            Assert.That(d.log_prob(values).ToArray<double>(), Is.EqualTo(new[] { Math.Log(0.1), Math.Log(0.7), Math.Log(0.2) }).Within(1e-12));
            Assert.That(d.entropy().item<double>(), Is.EqualTo(-probs.Sum(p => p * Math.Log(p))).Within(1e-12));
        }
        manual_seed(1);
        var batch = distributions.Categorical(probs: tensor(probs).expand(50_000, 3));
        var draws = batch.sample();
        Assert.That(draws.shape, Is.EqualTo(new long[] { 50_000 }));
        var counts = draws.ToArray<long>().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count() / 50_000.0);
        Assert.That(counts[2], Is.EqualTo(0.7).Within(0.01));
        Assert.That(counts[0], Is.EqualTo(0.1).Within(0.01));
        var masked = distributions.Categorical(logits: tensor(new[] { 0.0, double.NegativeInfinity }));
        Assert.That(masked.entropy().item<double>(), Is.EqualTo(0.0), "impossible categories add nothing");
        Assert.Throws<ArgumentException>(() => distributions.Categorical());
    }

    [Test]
    public void BernoulliFromLogitsAndProbs()
    {
        using var scope = NewDisposeScope();
        var p = 0.3;
        var d = distributions.Bernoulli(probs: tensor(new[] { p, p }));
        var dl = distributions.Bernoulli(logits: tensor(new[] { Math.Log(p / (1 - p)) }));
        Assert.That(d.log_prob(tensor(new[] { 1.0, 0.0 })).ToArray<double>(), Is.EqualTo(new[] { Math.Log(p), Math.Log(1 - p) }).Within(1e-9));
        Assert.That(dl.log_prob(tensor(new[] { 1.0 })).item<double>(), Is.EqualTo(Math.Log(p)).Within(1e-12));
        Assert.That(dl.entropy().item<double>(), Is.EqualTo(-(p * Math.Log(p) + (1 - p) * Math.Log(1 - p))).Within(1e-12));
        manual_seed(2);
        var draws = distributions.Bernoulli(probs: full([100_000], p, float64)).sample();
        Assert.That(draws.mean().item<double>(), Is.EqualTo(p).Within(0.01));
    }
}
