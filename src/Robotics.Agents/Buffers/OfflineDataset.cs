using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Buffers;

/// <summary>
/// Per-dimension observation standardisation (x − mean) / std, with the statistics of a dataset's observations,
/// as CORL's compute_mean_std / normalize_states do (std is NumPy's population std plus 1e-3, so constant
/// dimensions map to 0 instead of dividing by zero). Offline agents keep it and store it in their checkpoints,
/// because the policy only understands normalised observations.
/// </summary>
public sealed class ObservationNormalizer
{
    /// <summary>CORL's eps in compute_mean_std.</summary>
    public const double Epsilon = 1e-3;

    public float[] Mean { get; }
    public float[] Std { get; }
    public int Size => Mean.Length;

    public ObservationNormalizer(float[] mean, float[] std)
    {
        if (mean.Length != std.Length) throw new ArgumentException($"mean has {mean.Length} entries but std has {std.Length}");
        foreach (var s in std)
            if (!(s > 0) || !float.IsFinite(s)) throw new ArgumentException($"every std must be positive and finite, got {s}");
        (Mean, Std) = (mean, std);
    }

    /// <summary>Mean 0, std 1: observations pass through unchanged.</summary>
    public static ObservationNormalizer Identity(int size) => new(new float[size], Enumerable.Repeat(1f, size).ToArray());

    /// <summary>Mean and std (+ <see cref="Epsilon"/>) of each observation dimension over the dataset's rows, summed in double.</summary>
    public static ObservationNormalizer FromDataset(TransitionDataset data)
    {
        if (data.Count == 0) throw new ArgumentException("cannot compute observation statistics of an empty dataset");
        int n = data.Count, d = data.ObservationSize;
        var sum = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Observation(i);
            for (int j = 0; j < d; j++) sum[j] += row[j];
        }
        var mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / n;
        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Observation(i);
            for (int j = 0; j < d; j++)
            {
                double c = row[j] - mean[j];
                squares[j] += c * c;
            }
        }
        var m = new float[d];
        var s = new float[d];
        for (int j = 0; j < d; j++)
        {
            if (!double.IsFinite(mean[j]) || !double.IsFinite(squares[j]))
                throw new ArgumentException($"observation dimension {j} of the dataset holds NaN or infinite values");
            m[j] = (float)mean[j];
            s[j] = (float)(Math.Sqrt(squares[j] / n) + Epsilon);
        }
        return new ObservationNormalizer(m, s);
    }

    /// <summary>Normalises rows of <see cref="Size"/> numbers in place.</summary>
    public void Normalize(Span<float> rows)
    {
        if (rows.Length % Size != 0) throw new ArgumentException($"{rows.Length} numbers are not whole rows of {Size}");
        for (int i = 0; i < rows.Length; i += Size)
            for (int j = 0; j < Size; j++) rows[i + j] = (rows[i + j] - Mean[j]) / Std[j];
    }
}

/// <summary>
/// A <see cref="TransitionDataset"/> prepared for offline RL and sampled like <see cref="ReplayBuffer"/>: the rows are
/// copied once into float32 arrays (observations normalised, rewards scaled, dones as 0/1 floats) and Sample fills
/// batch arrays that CPU tensors wrap without copying, so nothing is allocated per minibatch.
/// Done = terminal only: a timeout (the time limit) is not the end of the task, and its transition still bootstraps
/// from the next observation (D4RL and SB3 keep the two apart for this reason).
/// </summary>
public sealed class OfflineDataset : IDisposable
{
    /// <summary>CORL's max_episode_steps in modify_reward: rewards are scaled so the dataset's return range spans 1000.</summary>
    public const double RewardScaleSteps = 1000;

    private readonly float[] _obs, _nextObs, _actions, _rewards, _dones;
    private readonly MinibatchGatherer _gatherer;

    public int Count { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int BatchSize { get; }
    /// <summary>The statistics the stored observations were normalised with (identity when normalisation is off).</summary>
    public ObservationNormalizer Normalizer { get; }
    /// <summary>What every reward was multiplied by (1 without reward normalisation).</summary>
    public double RewardScale { get; }
    /// <summary>Complete episodes (ended by a terminal or a timeout) and their lowest and highest return, before scaling.</summary>
    public (int Episodes, double Min, double Max) Returns { get; }

    /// <param name="data">the transitions; left unchanged (this copies what it needs)</param>
    /// <param name="normalizeObservations">standardise observations with the dataset's own statistics (CORL's normalize)</param>
    /// <param name="normalizeRewards">scale rewards by 1000 / (max return − min return) over complete episodes
    /// (CORL's modify_reward for IQL on D4RL locomotion)</param>
    public OfflineDataset(TransitionDataset data, int batchSize, bool normalizeObservations = true, bool normalizeRewards = false, Device? device = null)
    {
        if (data.Count == 0) throw new ArgumentException("the dataset holds no transitions");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}");
        long bytes = 4L * data.Count * (2L * data.ObservationSize + data.ActionSize + 2);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available * 0.8)
            throw new InvalidOperationException($"a dataset of {data.Count:N0} transitions needs {bytes / 1e9:F2} GB, more than 80% of the {available / 1e9:F2} GB available");
        (Count, ObservationSize, ActionSize, BatchSize) = (data.Count, data.ObservationSize, data.ActionSize, batchSize);

        Normalizer = normalizeObservations ? ObservationNormalizer.FromDataset(data) : ObservationNormalizer.Identity(ObservationSize);
        _obs = (float[])data.Observations.Clone();
        _nextObs = (float[])data.NextObservations.Clone();
        if (normalizeObservations)
        {
            Normalizer.Normalize(_obs);
            Normalizer.Normalize(_nextObs);
        }
        _actions = (float[])data.Actions.Clone();

        Returns = EpisodeReturns(data);
        RewardScale = 1;
        if (normalizeRewards)
        {
            var (episodes, min, max) = Returns;
            if (episodes < 2 || !(max - min > 1e-8))
                throw new ArgumentException($"reward normalisation scales by 1000 / (max return − min return), but the dataset's {episodes} complete episode(s) " +
                                            $"have returns from {min} to {max}; turn reward normalisation off for this dataset");
            RewardScale = RewardScaleSteps / (max - min);
        }
        _rewards = new float[Count];
        _dones = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _rewards[i] = (float)(data.Rewards[i] * RewardScale);
            _dones[i] = data.Terminals[i] ? 1f : 0f;
        }

        _gatherer = new MinibatchGatherer(batchSize, ObservationSize, ActionSize, device ?? Device.CPU);
    }

    /// <summary>
    /// Returns of the complete episodes, an episode ending at a terminal or a timeout. CORL's return_reward_range
    /// cuts episodes at max_episode_steps instead; the timeouts say the same thing without knowing the limit.
    /// A trailing episode without an end is left out, as CORL leaves it out.
    /// </summary>
    public static (int Episodes, double Min, double Max) EpisodeReturns(TransitionDataset data)
    {
        int episodes = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, current = 0;
        for (int i = 0; i < data.Count; i++)
        {
            current += data.Rewards[i];
            if (!data.Terminals[i] && !data.Timeouts[i]) continue;
            episodes++;
            min = Math.Min(min, current);
            max = Math.Max(max, current);
            current = 0;
        }
        return episodes == 0 ? (0, double.NaN, double.NaN) : (episodes, min, max);
    }

    /// <summary>
    /// A uniform minibatch of <see cref="BatchSize"/> rows (with replacement). The CPU tensors are the dataset's own and
    /// are overwritten by the next call: use them within one update, don't dispose them.
    /// </summary>
    public ReplayBatch Sample(Rng rng) => _gatherer.Draw(rng, Count, _obs, _actions, _rewards, _nextObs, _dones);

    /// <summary>Row <paramref name="row"/> as stored (normalised observation, scaled reward), for tests and inspection.</summary>
    public ReadOnlySpan<float> Observation(int row) => _obs.AsSpan(row * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> NextObservation(int row) => _nextObs.AsSpan(row * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> Action(int row) => _actions.AsSpan(row * ActionSize, ActionSize);
    public float Reward(int row) => _rewards[row];
    public bool Done(int row) => _dones[row] != 0;

    public void Dispose() => _gatherer.Dispose();
}
