using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Rewards.Vision.RlVlmF;
using Robotics.Torch;
using Robotics.Torch.Modules;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Vision.Offline;

/// <summary>
/// Hyperparameters of the reward learned from preference labels. Defaults follow PEBBLE / RL-VLM-F's reward model (3
/// layers of 256, Adam at 3e-4) scaled to a label set of hundreds rather than tens of thousands.
/// </summary>
public sealed record BradleyTerryConfig
{
    public int Hidden { get; init; } = 256;
    public int Layers { get; init; } = 3;
    public double Lr { get; init; } = 3e-4;
    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 64;
    /// <summary>AdamW-style decay keeps the scores of a small label set from growing without bound once it is fit.</summary>
    public double WeightDecay { get; init; } = 1e-4;
}

/// <summary>
/// A reward r(s) learned from pairwise labels with the Bradley–Terry model, P(second ≻ first) = σ(r(s₂) − r(s₁)), fit
/// by binary cross-entropy; the states are the dataset's next observations, standardised with the dataset's statistics
/// (what the frame the VLM judged shows). A minimal learner kept beside the VLM labeller, for the offline path; the
/// general preference learner is the preferences work's. Owns its network.
/// </summary>
public sealed class BradleyTerryReward : IDisposable
{
    private readonly Sequential _net;
    private readonly float[] _mean, _std;

    public int ObservationSize { get; }
    public BradleyTerryConfig Config { get; }

    public BradleyTerryReward(int observationSize, float[] mean, float[] std, BradleyTerryConfig? config = null)
    {
        Config = config ?? new BradleyTerryConfig();
        ObservationSize = observationSize;
        (_mean, _std) = (mean, std);
        var sizes = new List<long> { observationSize };
        for (int i = 0; i < Config.Layers; i++) sizes.Add(Config.Hidden);
        sizes.Add(1);
        _net = MLP.Create(sizes);
    }

    /// <summary>
    /// Fits a reward to <paramref name="labels"/> over rows of <paramref name="data"/> (label 0: the first row's next
    /// state is better, 1: the second's). Returns the model and the final training accuracy on the labels.
    /// </summary>
    public static (BradleyTerryReward Model, double Accuracy) Fit(TransitionDataset data, IReadOnlyList<PreferenceLabel> labels, int seed,
                                                                  BradleyTerryConfig? config = null)
    {
        if (labels.Count == 0) throw new ArgumentException("no preference labels to learn a reward from (every answer was unsure or malformed?)");
        config ??= new BradleyTerryConfig();
        manual_seed(seed);
        var (mean, std) = Statistics(data);
        var model = new BradleyTerryReward(data.ObservationSize, mean, std, config);
        try
        {
            model.Train(data, labels, new Rng(seed));
            return (model, model.Accuracy(data, labels));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void Train(TransitionDataset data, IReadOnlyList<PreferenceLabel> labels, Rng rng)
    {
        var optimizer = optim.AdamW(_net.parameters(), Config.Lr, weight_decay: Config.WeightDecay);
        try
        {
            var order = Enumerable.Range(0, labels.Count).ToArray();
            for (int epoch = 0; epoch < Config.Epochs; epoch++)
            {
                for (int i = order.Length - 1; i > 0; i--)
                {
                    int j = rng.NextInt(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
                for (int start = 0; start < order.Length; start += Config.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var batch = order.Skip(start).Take(Config.BatchSize).Select(k => labels[k]).ToArray();
                    var first = Scores(States(data, batch.Select(l => l.First)));
                    var second = Scores(States(data, batch.Select(l => l.Second)));
                    var target = tensor(batch.Select(l => (float)l.Label).ToArray());
                    var loss = F.binary_cross_entropy_with_logits(second - first, target);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
            }
        }
        finally
        {
            optimizer.Dispose();
        }
    }

    /// <summary>The fraction of labels the model orders the same way.</summary>
    public double Accuracy(TransitionDataset data, IReadOnlyList<PreferenceLabel> labels)
    {
        var r = Rewards(data);
        return labels.Count(l => (r[l.Second] > r[l.First]) == (l.Label == 1)) / (double)labels.Count;
    }

    /// <summary>r(next observation) of every row, computed in chunks without autograd.</summary>
    public float[] Rewards(TransitionDataset data)
    {
        if (data.ObservationSize != ObservationSize) throw new ArgumentException($"the reward takes {ObservationSize}-number observations, the dataset has {data.ObservationSize}");
        var rewards = new float[data.Count];
        using var _ = no_grad();
        for (int start = 0; start < data.Count; start += 4096)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(4096, data.Count - start);
            Scores(States(data, Enumerable.Range(start, n))).ToArray<float>().CopyTo(rewards, start);
        }
        return rewards;
    }

    private Tensor Scores(Tensor states) => _net.forward(states).squeeze(-1);

    private Tensor States(TransitionDataset data, IEnumerable<int> rows)
    {
        var list = rows.ToArray();
        int d = data.ObservationSize;
        var x = new float[list.Length * d];
        for (int i = 0; i < list.Length; i++)
        {
            var row = data.NextObservation(list[i]);
            for (int j = 0; j < d; j++) x[i * d + j] = (row[j] - _mean[j]) / _std[j];
        }
        return tensor(x, [list.Length, d]);
    }

    private static (float[] Mean, float[] Std) Statistics(TransitionDataset data)
    {
        int d = data.ObservationSize;
        var sum = new double[d];
        var sq = new double[d];
        for (int i = 0; i < data.Count; i++)
        {
            var row = data.NextObservation(i);
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
                sq[j] += (double)row[j] * row[j];
            }
        }
        var mean = new float[d];
        var std = new float[d];
        for (int j = 0; j < d; j++)
        {
            double m = sum[j] / data.Count;
            mean[j] = (float)m;
            std[j] = (float)(Math.Sqrt(Math.Max(0, sq[j] / data.Count - m * m)) + 1e-3); // constant dimensions map to 0, as the offline agents' normaliser does
        }
        return (mean, std);
    }

    public void Dispose() => _net.Dispose();
}
