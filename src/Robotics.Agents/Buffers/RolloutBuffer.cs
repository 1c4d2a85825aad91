using Robotics.Core.Seeding;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Buffers;

/// <summary>
/// One PPO minibatch: observations [B, obs], actions [B, act], and [B] vectors of the behaviour policy's
/// log-probabilities, advantages, returns (value targets) and values at collection time.
/// </summary>
public readonly record struct RolloutMinibatch(Tensor Observations, Tensor Actions, Tensor LogProbs, Tensor Advantages, Tensor Returns, Tensor Values);

/// <summary>
/// An on-policy rollout of <see cref="Steps"/> vector steps of <see cref="NumEnvs"/> envs, in float32 arrays
/// allocated once. Layout is [steps × envs × dim] (SB3's and CleanRL's): row (t, i) starts at (t·envs + i)·dim,
/// so one vector step is one contiguous block the loop copies in with a single call, and a minibatch row is
/// one flat index. GAE runs over the arrays in place; minibatches are drawn by shuffling one preallocated index
/// permutation per epoch and copying rows into batch arrays that CPU tensors wrap without copying, so an
/// update allocates nothing per sample.
///
/// Episode ends follow Gymnasium's rule: a terminated step does not bootstrap; a truncated one (the time limit)
/// bootstraps from the value of its true final observation, which the caller passes with the step
/// (the vector env has already auto-reset, so the next row holds a new episode's first observation).
/// </summary>
public sealed class RolloutBuffer : IDisposable
{
    private readonly float[] _obs, _actions, _logProbs, _rewards, _values, _finalValues, _advantages, _returns;
    private readonly bool[] _terminated, _truncated;
    private readonly int[] _indices;
    private readonly float[] _bObs, _bActions, _bLogProbs, _bAdvantages, _bReturns, _bValues;
    private readonly Tensor _tObs, _tActions, _tLogProbs, _tAdvantages, _tReturns, _tValues;
    private readonly Device _device;

    public int Steps { get; }
    public int NumEnvs { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int MinibatchSize { get; }
    /// <summary>Steps × envs: the rows one rollout holds.</summary>
    public int BatchSize => Steps * NumEnvs;
    /// <summary>Minibatches in one pass over the rollout (rows past the last whole minibatch are left out of that epoch).</summary>
    public int MinibatchCount => BatchSize / MinibatchSize;
    /// <summary>Vector steps stored so far in this rollout.</summary>
    public int Position { get; private set; }
    public bool IsFull => Position == Steps;
    /// <summary>True once <see cref="ComputeReturnsAndAdvantages"/> has run on the current rollout.</summary>
    public bool HasAdvantages { get; private set; }

    public RolloutBuffer(int steps, int numEnvs, int observationSize, int actionSize, int minibatchSize, Device? device = null)
    {
        if (steps <= 0 || numEnvs <= 0) throw new ArgumentOutOfRangeException(nameof(steps), $"a rollout needs positive steps and envs, got {steps} × {numEnvs}");
        if (observationSize <= 0 || actionSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), $"observation ({observationSize}) and action ({actionSize}) sizes must be positive");
        if (minibatchSize <= 0 || minibatchSize > (long)steps * numEnvs)
            throw new ArgumentOutOfRangeException(nameof(minibatchSize), $"minibatch size must be in [1, {(long)steps * numEnvs}] (steps × envs), got {minibatchSize}");
        long rows = (long)steps * numEnvs;
        if (rows > Array.MaxLength / Math.Max(observationSize, actionSize))
            throw new ArgumentOutOfRangeException(nameof(steps), $"a rollout of {steps} × {numEnvs} × {observationSize} numbers is too large for one array");
        // obs + actions + 7 per-row numbers, plus the index permutation and the minibatch copies
        long bytes = 4L * rows * (observationSize + actionSize + 8) + 4L * minibatchSize * (observationSize + actionSize + 4);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available * 0.8)
            throw new InvalidOperationException($"a rollout of {steps} steps × {numEnvs} envs needs {bytes / 1e9:F2} GB, more than 80% of the {available / 1e9:F2} GB available; lower num_steps or num_envs");

        (Steps, NumEnvs, ObservationSize, ActionSize, MinibatchSize) = (steps, numEnvs, observationSize, actionSize, minibatchSize);
        _device = device ?? Device.CPU;
        _obs = new float[rows * observationSize];
        _actions = new float[rows * actionSize];
        _logProbs = new float[rows];
        _rewards = new float[rows];
        _values = new float[rows];
        _finalValues = new float[rows];
        _advantages = new float[rows];
        _returns = new float[rows];
        _terminated = new bool[rows];
        _truncated = new bool[rows];
        _indices = new int[rows];
        for (int k = 0; k < _indices.Length; k++) _indices[k] = k;

        _bObs = new float[minibatchSize * observationSize];
        _bActions = new float[minibatchSize * actionSize];
        _bLogProbs = new float[minibatchSize];
        _bAdvantages = new float[minibatchSize];
        _bReturns = new float[minibatchSize];
        _bValues = new float[minibatchSize];
        _tObs = from_array(_bObs, [minibatchSize, observationSize]).DetachFromDisposeScope();
        _tActions = from_array(_bActions, [minibatchSize, actionSize]).DetachFromDisposeScope();
        _tLogProbs = from_array(_bLogProbs, [minibatchSize]).DetachFromDisposeScope();
        _tAdvantages = from_array(_bAdvantages, [minibatchSize]).DetachFromDisposeScope();
        _tReturns = from_array(_bReturns, [minibatchSize]).DetachFromDisposeScope();
        _tValues = from_array(_bValues, [minibatchSize]).DetachFromDisposeScope();
    }

    /// <summary>Starts a new rollout (the arrays are overwritten, not cleared).</summary>
    public void Reset()
    {
        Position = 0;
        HasAdvantages = false;
    }

    /// <summary>
    /// Stores one vector step: the observations the policy saw ([envs × obs]), the actions it sampled (unclipped,
    /// as their log-probabilities were computed), those log-probabilities and the values, then what the env returned:
    /// rewards, terminated and truncated flags, and for truncated envs the value of their final observation
    /// (<paramref name="finalValues"/>[i] is read only where truncated[i] and not terminated[i]).
    /// </summary>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values,
                    ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues)
    {
        if (IsFull) throw new InvalidOperationException($"the rollout already holds its {Steps} steps; call Reset before adding more");
        int n = NumEnvs;
        if (observations.Length != n * ObservationSize || actions.Length != n * ActionSize || logProbs.Length != n || values.Length != n ||
            rewards.Length != n || terminated.Length != n || truncated.Length != n || finalValues.Length != n)
            throw new ArgumentException($"a vector step of {n} envs needs {n * ObservationSize} observation numbers, {n * ActionSize} action numbers and {n} of everything else; " +
                                        $"got {observations.Length}, {actions.Length}, and {logProbs.Length}/{values.Length}/{rewards.Length}/{terminated.Length}/{truncated.Length}/{finalValues.Length}");
        int row = Position * n;
        observations.CopyTo(_obs.AsSpan(row * ObservationSize, n * ObservationSize));
        actions.CopyTo(_actions.AsSpan(row * ActionSize, n * ActionSize));
        logProbs.CopyTo(_logProbs.AsSpan(row, n));
        values.CopyTo(_values.AsSpan(row, n));
        rewards.CopyTo(_rewards.AsSpan(row, n));
        terminated.CopyTo(_terminated.AsSpan(row, n));
        truncated.CopyTo(_truncated.AsSpan(row, n));
        finalValues.CopyTo(_finalValues.AsSpan(row, n));
        Position++;
        HasAdvantages = false;
    }

    /// <summary>
    /// Generalised advantage estimation (Schulman et al. 2016) over the full rollout, per env, backwards in time:
    /// δ_t = r_t + γ·V(s'_t) − V(s_t) with V(s'_t) = 0 if terminated, the final observation's value if truncated,
    /// else the next row's value (or <paramref name="lastValues"/> after the last step); A_t = δ_t + γλ·A_{t+1},
    /// the recursion cut at every episode end. Returns (the value targets) are A + V, as in CleanRL and SB3.
    /// </summary>
    public void ComputeReturnsAndAdvantages(ReadOnlySpan<float> lastValues, double gamma, double lambda)
    {
        if (!IsFull) throw new InvalidOperationException($"GAE needs a full rollout; it holds {Position} of {Steps} steps");
        if (lastValues.Length != NumEnvs) throw new ArgumentException($"expected {NumEnvs} last values, got {lastValues.Length}", nameof(lastValues));
        int n = NumEnvs;
        for (int i = 0; i < n; i++)
        {
            double advantage = 0, nextValue = lastValues[i];
            for (int t = Steps - 1; t >= 0; t--)
            {
                int k = t * n + i;
                bool terminated = _terminated[k], done = terminated || _truncated[k];
                double bootstrap = terminated ? 0 : done ? _finalValues[k] : nextValue;
                double delta = _rewards[k] + gamma * bootstrap - _values[k];
                advantage = delta + (done ? 0 : gamma * lambda * advantage);
                _advantages[k] = (float)advantage;
                _returns[k] = (float)(advantage + _values[k]);
                nextValue = _values[k];
            }
        }
        HasAdvantages = true;
    }

    /// <summary>Shuffles the row order for one epoch (Fisher–Yates on the buffer's own permutation, no allocation).</summary>
    public void Shuffle(Rng rng)
    {
        for (int k = _indices.Length - 1; k > 0; k--)
        {
            int j = rng.NextInt(k + 1);
            (_indices[k], _indices[j]) = (_indices[j], _indices[k]);
        }
    }

    /// <summary>
    /// Minibatch <paramref name="index"/> of the current permutation. The CPU tensors are the buffer's own and are
    /// overwritten by the next call: use them within one update, don't dispose them.
    /// </summary>
    public RolloutMinibatch Minibatch(int index)
    {
        if (!HasAdvantages) throw new InvalidOperationException("compute returns and advantages before drawing minibatches");
        if ((uint)index >= (uint)MinibatchCount) throw new ArgumentOutOfRangeException(nameof(index), $"minibatch {index} of {MinibatchCount}");
        int start = index * MinibatchSize;
        for (int b = 0; b < MinibatchSize; b++)
        {
            int k = _indices[start + b];
            _obs.AsSpan(k * ObservationSize, ObservationSize).CopyTo(_bObs.AsSpan(b * ObservationSize));
            _actions.AsSpan(k * ActionSize, ActionSize).CopyTo(_bActions.AsSpan(b * ActionSize));
            _bLogProbs[b] = _logProbs[k];
            _bAdvantages[b] = _advantages[k];
            _bReturns[b] = _returns[k];
            _bValues[b] = _values[k];
        }
        if (_device.type == DeviceType.CPU) return new RolloutMinibatch(_tObs, _tActions, _tLogProbs, _tAdvantages, _tReturns, _tValues);
        return new RolloutMinibatch(_tObs.to(_device), _tActions.to(_device), _tLogProbs.to(_device), _tAdvantages.to(_device),
                                    _tReturns.to(_device), _tValues.to(_device));
    }

    // Read access, [steps × envs] row-major (row t·envs + i), for metrics and tests.
    public ReadOnlySpan<float> Advantages => _advantages;
    public ReadOnlySpan<float> Returns => _returns;
    public ReadOnlySpan<float> Values => _values;
    public ReadOnlySpan<float> Rewards => _rewards;
    public ReadOnlySpan<float> Observation(int step, int env) => _obs.AsSpan((step * NumEnvs + env) * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> Action(int step, int env) => _actions.AsSpan((step * NumEnvs + env) * ActionSize, ActionSize);

    /// <summary>1 − Var(returns − values) / Var(returns) over the rollout: how much of the return the critic explains (CleanRL's metric).</summary>
    public double ExplainedVariance()
    {
        double meanY = 0, meanR = 0;
        int rows = BatchSize;
        for (int k = 0; k < rows; k++) { meanY += _returns[k]; meanR += _returns[k] - _values[k]; }
        meanY /= rows; meanR /= rows;
        double varY = 0, varR = 0;
        for (int k = 0; k < rows; k++)
        {
            double y = _returns[k] - meanY, r = _returns[k] - _values[k] - meanR;
            varY += y * y; varR += r * r;
        }
        return varY == 0 ? double.NaN : 1 - varR / varY;
    }

    public void Dispose()
    {
        foreach (var t in new[] { _tObs, _tActions, _tLogProbs, _tAdvantages, _tReturns, _tValues }) t.Dispose();
    }
}
