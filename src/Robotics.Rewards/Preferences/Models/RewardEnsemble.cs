using System.Globalization;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Rewards.Preferences.Models;

/// <summary>
/// B-Pref's reward model: an ensemble of MLPs r̂(s, a), each trained by Bradley–Terry cross-entropy on the summed
/// rewards of the labelled segment pairs (one Adam over all members, each member on its own shuffle of the pairs).
/// As a reward source it labels a step with the members' normalised rewards combined by the configured
/// aggregation (mean, worst-case, or mean − λ·std); each member is normalised to zero mean and unit variance over
/// the steps of the data it was last fit on, so members on different scales combine fairly and an agent sees
/// rewards of a steady size from update to update.
/// </summary>
public sealed class RewardEnsemble : ILearnedRewardSource
{
    public const string FileFormat = "robotics-reward-ensemble-v1";
    /// <summary>Rows per forward pass when labelling in bulk (bounds the memory of relabelling a large buffer).</summary>
    private const int ChunkRows = 8192;
    private const double MinInputStd = 1e-2;

    private readonly RewardMember[] _members;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;
    private readonly Rng _rng;
    private readonly float[] _inputMean, _inputStd;
    private readonly double[] _rewardMean, _rewardStd;
    /// <summary>State-only models: 1 for state inputs, 0 for action inputs, on the device (made once: labelling runs every env step).</summary>
    private readonly Tensor? _stateMask;

    public RewardEnsemble(int actionSize, RewardModelConfig? config = null, long seed = 0, Device? device = null)
    {
        Config = config ?? new RewardModelConfig();
        Config.Validate();
        ActionSize = actionSize > 0 ? actionSize : throw new ArgumentOutOfRangeException(nameof(actionSize));
        InputSize = RewardFeatures.InputSize(actionSize);
        _device = device ?? Device.CPU;
        _rng = new Rng(seed);
        _members = new RewardMember[Config.EnsembleSize];
        for (int m = 0; m < _members.Length; m++)
        {
            _members[m] = new RewardMember(InputSize, Config.Hidden, Config.Layers, Config.Gaussian);
            if (_device.type != DeviceType.CPU) _members[m].to(_device);
        }
        _optimizer = optim.Adam(_members.SelectMany(m => m.parameters()), Config.LearningRate);
        _inputMean = new float[InputSize];
        _inputStd = Enumerable.Repeat(1f, InputSize).ToArray();
        _rewardMean = new double[_members.Length];
        _rewardStd = Enumerable.Repeat(1.0, _members.Length).ToArray();
        if (Config.StateOnly)
            _stateMask = tensor<float>(Enumerable.Range(0, InputSize).Select(k => k < RewardFeatures.StateSize ? 1f : 0f).ToArray(), [InputSize], device: _device)
                .DetachFromDisposeScope();
    }

    public RewardModelConfig Config { get; }
    public int ActionSize { get; }
    public int InputSize { get; }
    public int EnsembleSize => _members.Length;
    /// <summary>Whether input statistics have been taken (at the first update, or read from a file).</summary>
    public bool InputsFitted { get; private set; }
    /// <summary>Updates done so far.</summary>
    public int Updates { get; private set; }
    public string Name => "preference";

    // ---- training ----

    /// <summary>
    /// Fits the ensemble to the dataset's trainable pairs with epochs of shuffled minibatches, then takes the reward
    /// normalisation from the data. Stops as B-Pref does once the members' mean training accuracy (over non-equal
    /// labels) exceeds <see cref="RewardModelConfig.StopAccuracy"/>; or, with a validation fraction, holds those
    /// pairs out, stops when their loss has not improved for <see cref="RewardModelConfig.Patience"/> epochs and keeps
    /// the weights of the best epoch (what a noisy teacher needs: its mistakes are otherwise learned by heart).
    /// </summary>
    public RewardUpdateResult Update(PreferenceDataset data)
    {
        if (data.ActionSize != ActionSize) throw new ArgumentException($"the dataset's actions have {data.ActionSize} numbers; this model reads {ActionSize}");
        var pairs = data.Trainable.ToList();
        if (pairs.Count == 0) throw new InvalidOperationException("no trainable pairs: every query so far was skipped");
        int n = pairs.Count, t = data.SegmentLength, d = InputSize;

        using var scope = NewDisposeScope();
        var flatA = new float[(long)n * t * d];
        var flatB = new float[(long)n * t * d];
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            pairs[i].A.Inputs.CopyTo(flatA, (long)i * t * d);
            pairs[i].B.Inputs.CopyTo(flatB, (long)i * t * d);
            targets[i] = pairs[i].Label.TargetSecond();
        }
        if (Config.NormalizeInputs && !InputsFitted) FitInputStatistics(flatA, flatB);
        var inputsA = Normalize(tensor<float>(flatA, [n, t, d]));
        var inputsB = Normalize(tensor<float>(flatB, [n, t, d]));
        var y = tensor<float>(targets, [n], device: _device);

        // The validation pairs, when asked for: a random share, at least one, never all.
        var shuffled = Permutation(n);
        int validationCount = Config.ValidationFraction > 0 && n >= 2 ? Math.Clamp((int)Math.Round(n * Config.ValidationFraction), 1, n - 1) : 0;
        var validation = shuffled[..validationCount];
        var training = shuffled[validationCount..];
        int decided = training.Count(i => targets[i] != 0.5f);

        int epochs = 0, bestEpoch = 0;
        double loss = double.NaN, accuracy = 0, bestValidation = double.PositiveInfinity, validationAccuracy = double.NaN;
        float[][][]? best = null;
        foreach (var m in _members) m.train();
        for (int epoch = 0; epoch < Config.MaxEpochs; epoch++)
        {
            (loss, accuracy) = TrainEpoch(inputsA, inputsB, y, training, decided);
            epochs = epoch + 1;
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"reward model loss became {loss} at epoch {epochs}");
            if (validationCount == 0)
            {
                if (accuracy > Config.StopAccuracy) break;
                continue;
            }
            var (validationLoss, validAccuracy) = Evaluate(inputsA, inputsB, y, validation);
            if (validationLoss < bestValidation)
            {
                (bestValidation, validationAccuracy, bestEpoch) = (validationLoss, validAccuracy, epochs);
                best = Snapshot();
            }
            else if (epochs - bestEpoch >= Config.Patience) break;
        }
        if (best is not null) Restore(best);
        foreach (var m in _members) m.eval();
        FitRewardStatistics(inputsA, inputsB);
        Updates++;
        return new RewardUpdateResult(n, epochs, loss, accuracy)
        {
            ValidationPairs = validationCount,
            ValidationLoss = validationCount > 0 ? bestValidation : null,
            ValidationAccuracy = validationCount > 0 ? validationAccuracy : null,
            BestEpoch = validationCount > 0 ? bestEpoch : epochs,
        };
    }

    /// <summary>One pass over the training pairs, each member on its own shuffle; returns the mean loss and accuracy.</summary>
    private (double Loss, double Accuracy) TrainEpoch(Tensor inputsA, Tensor inputsB, Tensor y, long[] training, int decided)
    {
        int n = training.Length;
        var orders = _members.Select(_ => Shuffle(training)).ToArray();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < n; start += Config.BatchSize)
        {
            using var step = NewDisposeScope();
            int size = Math.Min(Config.BatchSize, n - start);
            Tensor? total = null;
            for (int m = 0; m < _members.Length; m++)
            {
                var index = tensor<long>(orders[m].AsSpan(start, size), [size], device: _device);
                var (returnsA, klA) = TrainingReturns(_members[m], inputsA.index_select(0, index));
                var (returnsB, klB) = TrainingReturns(_members[m], inputsB.index_select(0, index));
                var target = y.index_select(0, index);
                var memberLoss = BradleyTerry.Loss(returnsA, returnsB, target);
                if (klA is not null) memberLoss = memberLoss + Config.KlWeight * (klA + klB!);
                total = total is null ? memberLoss : total + memberLoss;
                using (no_grad()) correct += Agreements(returnsA, returnsB, target);
            }
            _optimizer.zero_grad();
            total!.backward();
            _optimizer.step();
            lossSum += total.item<double>() * size;
        }
        return (lossSum / n / _members.Length, decided == 0 ? 1 : correct / (double)(decided * (long)_members.Length));
    }

    /// <summary>Mean Bradley–Terry loss and accuracy of the members' mean rewards on the given pairs (no sampling, no gradients).</summary>
    private (double Loss, double Accuracy) Evaluate(Tensor inputsA, Tensor inputsB, Tensor y, long[] pairs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var index = tensor<long>(pairs, [pairs.Length], device: _device);
        var a = inputsA.index_select(0, index);
        var b = inputsB.index_select(0, index);
        var target = y.index_select(0, index);
        double loss = 0;
        long correct = 0;
        foreach (var member in _members)
        {
            var returnsA = member.call(a).sum(1);
            var returnsB = member.call(b).sum(1);
            loss += BradleyTerry.Loss(returnsA, returnsB, target).item<double>();
            correct += Agreements(returnsA, returnsB, target);
        }
        long decided = target.ne(0.5).sum().item<long>();
        return (loss / _members.Length, decided == 0 ? 1 : correct / (double)(decided * _members.Length));
    }

    /// <summary>Pairs where the larger return is the preferred segment's; equal labels have no right answer.</summary>
    private static long Agreements(Tensor returnsA, Tensor returnsB, Tensor target) =>
        (returnsB > returnsA).@float().eq(target).logical_and(target.ne(0.5)).sum().item<long>();

    private float[][][] Snapshot() =>
        _members.Select(m => m.parameters().Select(p => p.ToArray<float>()).ToArray()).ToArray();

    private void Restore(float[][][] snapshot)
    {
        using var _ = no_grad();
        for (int m = 0; m < _members.Length; m++)
        {
            var parameters = _members[m].parameters().ToArray();
            for (int k = 0; k < parameters.Length; k++) parameters[k].copy_from<float>(snapshot[m][k]);
        }
    }

    /// <summary>Summed rewards over the segment axis of [B, T, D] inputs; Gaussian members sample and add their KL.</summary>
    private (Tensor Returns, Tensor? Kl) TrainingReturns(RewardMember member, Tensor inputs)
    {
        var (mean, logVar) = member.Heads(inputs);
        if (logVar is null) return (mean.sum(1), null);
        var std = (0.5 * logVar).exp();
        var sampled = mean + std * randn_like(std);
        // KL(N(μ, σ²) ‖ N(0, 1)) per step, averaged: keeps the variance head honest instead of shrinking it to zero.
        var kl = (0.5 * (mean.square() + logVar.exp() - logVar - 1)).mean();
        return (sampled.sum(1), kl);
    }

    private long[] Permutation(int n)
    {
        var order = new long[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return Shuffle(order);
    }

    /// <summary>A Fisher–Yates shuffle of a copy, from this model's own generator.</summary>
    private long[] Shuffle(long[] items)
    {
        var order = (long[])items.Clone();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = _rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private void FitInputStatistics(float[] a, float[] b)
    {
        int d = InputSize;
        long rows = (a.Length + b.Length) / d;
        var sum = new double[d];
        var sumSq = new double[d];
        foreach (var flat in new[] { a, b })
            for (long r = 0; r < flat.Length / d; r++)
                for (int k = 0; k < d; k++)
                {
                    double v = flat[r * d + k];
                    sum[k] += v;
                    sumSq[k] += v * v;
                }
        for (int k = 0; k < d; k++)
        {
            double mean = sum[k] / rows, variance = Math.Max(sumSq[k] / rows - mean * mean, 0);
            _inputMean[k] = (float)mean;
            _inputStd[k] = (float)Math.Max(Math.Sqrt(variance), MinInputStd);
        }
        InputsFitted = true;
    }

    /// <summary>Each member's mean and std of r̂ over every step of the training segments.</summary>
    private void FitRewardStatistics(Tensor inputsA, Tensor inputsB)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = cat([inputsA.reshape(-1, InputSize), inputsB.reshape(-1, InputSize)], 0);
        var rewards = MemberRewardsNormalizedInputs(rows); // [E, rows]
        var mean = rewards.mean(1).ToArray<float>();
        var std = rewards.std(1, correction: 0).ToArray<float>();
        for (int m = 0; m < _members.Length; m++)
        {
            _rewardMean[m] = mean[m];
            _rewardStd[m] = Math.Max(std[m], 1e-6);
        }
    }

    // ---- prediction ----

    private Tensor Normalize(Tensor inputs)
    {
        var x = inputs.to(_device);
        if (InputsFitted)
        {
            var mean = tensor<float>(_inputMean, [InputSize], device: _device);
            var std = tensor<float>(_inputStd, [InputSize], device: _device);
            x = (x - mean) / std;
        }
        // State-only: the same network and file, with zeros where the action goes.
        return _stateMask is null ? x : x * _stateMask;
    }

    /// <summary>Raw member rewards [E, N] of already-normalised rows [N, D], in chunks.</summary>
    private Tensor MemberRewardsNormalizedInputs(Tensor rows)
    {
        long n = rows.shape[0];
        var chunks = new List<Tensor>();
        for (long start = 0; start < n; start += ChunkRows)
        {
            var part = rows.narrow(0, start, Math.Min(ChunkRows, n - start));
            chunks.Add(stack(_members.Select(m => m.call(part)).ToArray(), 0));
        }
        return chunks.Count == 1 ? chunks[0] : cat(chunks.ToArray(), 1);
    }

    /// <summary>Each member's raw r̂ for <paramref name="count"/> input rows (flat, row-major): [E, count].</summary>
    public float[,] MemberRewards(ReadOnlySpan<float> rows, int count)
    {
        if (rows.Length != count * InputSize) throw new ArgumentException($"{count} rows of {InputSize} numbers are {count * InputSize} numbers, got {rows.Length}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var raw = MemberRewardsNormalizedInputs(Normalize(tensor<float>(rows, [count, InputSize]))).cpu().ToArray<float>();
        var result = new float[_members.Length, count];
        Buffer.BlockCopy(raw, 0, result, 0, raw.Length * sizeof(float));
        return result;
    }

    /// <summary>The reward an agent sees for each row: members normalised, then aggregated.</summary>
    public float[] Predict(ReadOnlySpan<float> rows, int count)
    {
        var raw = MemberRewards(rows, count);
        var result = new float[count];
        Span<double> values = stackalloc double[_members.Length];
        for (int i = 0; i < count; i++)
        {
            for (int m = 0; m < _members.Length; m++) values[m] = (raw[m, i] - _rewardMean[m]) / _rewardStd[m];
            result[i] = (float)Aggregate(values);
        }
        return result;
    }

    private double Aggregate(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        switch (Config.Aggregation)
        {
            case EnsembleAggregation.Mean: return mean;
            case EnsembleAggregation.WorstCase:
                double min = double.PositiveInfinity;
                foreach (var v in values) min = Math.Min(min, v);
                return min;
            default:
                double variance = 0;
                foreach (var v in values) variance += (v - mean) * (v - mean);
                return mean - Config.UncertaintyWeight * Math.Sqrt(variance / values.Length);
        }
    }

    /// <summary>Each member's raw summed reward of each segment: [E, segments].</summary>
    public double[,] SegmentReturns(IReadOnlyList<Segment> segments)
    {
        var result = new double[_members.Length, segments.Count];
        if (segments.Count == 0) return result;
        int t = segments[0].Length;
        if (segments.Any(s => s.Length != t || s.ActionSize != ActionSize))
            throw new ArgumentException($"segments must share one length and this model's {ActionSize}-number actions");
        var flat = new float[(long)segments.Count * t * InputSize];
        for (int i = 0; i < segments.Count; i++) segments[i].Inputs.CopyTo(flat, (long)i * t * InputSize);
        var raw = MemberRewards(flat, segments.Count * t);
        for (int m = 0; m < _members.Length; m++)
            for (int i = 0; i < segments.Count; i++)
            {
                double sum = 0;
                for (int k = 0; k < t; k++) sum += raw[m, i * t + k];
                result[m, i] = sum;
            }
        return result;
    }

    /// <summary>Each member's P(B ≻ A) for each pair: [E, pairs] (query selection reads the spread across members).</summary>
    public double[,] PairProbabilities(IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        var segments = new List<Segment>(pairs.Count * 2);
        foreach (var (a, b) in pairs) { segments.Add(a); segments.Add(b); }
        var returns = SegmentReturns(segments);
        var result = new double[_members.Length, pairs.Count];
        for (int m = 0; m < _members.Length; m++)
            for (int i = 0; i < pairs.Count; i++)
                result[m, i] = 1 / (1 + Math.Exp(returns[m, 2 * i] - returns[m, 2 * i + 1]));
        return result;
    }

    /// <summary>The ensemble's P(B ≻ A) for each pair: the members' mean.</summary>
    public double[] PreferSecond(IReadOnlyList<(Segment A, Segment B)> pairs)
    {
        var p = PairProbabilities(pairs);
        var mean = new double[pairs.Count];
        for (int i = 0; i < mean.Length; i++)
        {
            for (int m = 0; m < _members.Length; m++) mean[i] += p[m, i];
            mean[i] /= _members.Length;
        }
        return mean;
    }

    // ---- IRewardSource ----

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        Span<float> row = stackalloc float[InputSize];
        RewardFeatures.Write(state, action, row);
        var r = Predict(row, 1)[0];
        return new RewardLabel(r, [(Name, r)]);
    }

    public RewardLabel[] LabelBatch(IReadOnlyList<RewardTransition> batch)
    {
        var rows = new float[batch.Count * InputSize];
        for (int i = 0; i < batch.Count; i++) RewardFeatures.Write(batch[i].State, batch[i].Action, rows.AsSpan(i * InputSize, InputSize));
        var rewards = Predict(rows, batch.Count);
        return rewards.Select(r => new RewardLabel(r, [(Name, r)])).ToArray();
    }

    public void Relabel(ReadOnlySpan<float> nextObservations, ReadOnlySpan<float> actions, Span<float> rewards)
    {
        int n = rewards.Length;
        if (nextObservations.Length != n * FrankaEnv.ObservationSize || actions.Length != n * ActionSize)
            throw new ArgumentException($"{n} transitions need {n * FrankaEnv.ObservationSize} observation and {n * ActionSize} action numbers, got {nextObservations.Length} and {actions.Length}");
        var rows = new float[Math.Min(n, ChunkRows) * InputSize];
        for (int start = 0; start < n; start += ChunkRows)
        {
            int size = Math.Min(ChunkRows, n - start);
            for (int i = 0; i < size; i++)
                RewardFeatures.Write(nextObservations.Slice((start + i) * FrankaEnv.ObservationSize, FrankaEnv.ObservationSize),
                                     actions.Slice((start + i) * ActionSize, ActionSize), rows.AsSpan(i * InputSize, InputSize));
            Predict(rows.AsSpan(0, size * InputSize), size).CopyTo(rewards.Slice(start, size));
        }
    }

    // ---- save / load ----

    /// <summary>Members, optimizer state and both normalisations in one safetensors file, with the shape in its metadata.</summary>
    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        for (int m = 0; m < _members.Length; m++)
            foreach (var (name, value) in _members[m].state_dict()) tensors[$"member{m}.{name}"] = value;
        foreach (var (name, value) in _optimizer.state_dict()) tensors[$"optimizer.{name}"] = value;
        tensors["input_mean"] = tensor<float>(_inputMean);
        tensors["input_std"] = tensor<float>(_inputStd);
        tensors["reward_mean"] = tensor<double>(_rewardMean);
        tensors["reward_std"] = tensor<double>(_rewardStd);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            ["format"] = FileFormat,
            ["ensemble_size"] = _members.Length.ToString(CultureInfo.InvariantCulture),
            ["hidden"] = Config.Hidden.ToString(CultureInfo.InvariantCulture),
            ["layers"] = Config.Layers.ToString(CultureInfo.InvariantCulture),
            ["gaussian"] = Config.Gaussian ? "true" : "false",
            ["state_only"] = Config.StateOnly ? "true" : "false",
            ["action_size"] = ActionSize.ToString(CultureInfo.InvariantCulture),
            ["state_features"] = RewardFeatures.StateSize.ToString(CultureInfo.InvariantCulture),
            ["inputs_fitted"] = InputsFitted ? "true" : "false",
            ["updates"] = Updates.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>A model shaped as the file says (ensemble size, layers, width, Gaussian, state-only), loaded from it.</summary>
    public static RewardEnsemble Open(string path, int actionSize, Device? device = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no reward model at {path}", path);
        using var scope = NewDisposeScope();
        var (tensors, metadata) = SafeTensors.Load(path); // read once: the shape comes from it, then the weights
        int Int(string key) => metadata.TryGetValue(key, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var i) ? i
            : throw new InvalidDataException($"{path}: not a reward ensemble (no '{key}')");
        var config = new RewardModelConfig
        {
            EnsembleSize = Int("ensemble_size"), Hidden = Int("hidden"), Layers = Int("layers"),
            Gaussian = metadata.GetValueOrDefault("gaussian") == "true", StateOnly = metadata.GetValueOrDefault("state_only") == "true",
        };
        var model = new RewardEnsemble(actionSize, config, device: device);
        try { model.LoadFrom(path, tensors, metadata); }
        catch { model.Dispose(); throw; }
        return model;
    }

    /// <summary>Restores what <see cref="Save"/> wrote into a model of the same shape (a different shape is refused, naming the field).</summary>
    public void Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no reward model at {path}", path);
        using var scope = NewDisposeScope();
        var (tensors, metadata) = SafeTensors.Load(path);
        LoadFrom(path, tensors, metadata);
    }

    private void LoadFrom(string path, IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        metadata.TryAdd("state_only", "false"); // files from before state-only models existed are state-action models
        string Meta(string key) => metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{path}: not a reward ensemble (no '{key}')");
        if (Meta("format") != FileFormat) throw new InvalidDataException($"{path}: format '{Meta("format")}', expected '{FileFormat}'");
        foreach (var (key, mine) in new[] { ("ensemble_size", _members.Length.ToString()), ("hidden", Config.Hidden.ToString()), ("layers", Config.Layers.ToString()),
                                            ("gaussian", Config.Gaussian ? "true" : "false"), ("state_only", Config.StateOnly ? "true" : "false"),
                                            ("action_size", ActionSize.ToString()), ("state_features", RewardFeatures.StateSize.ToString()) })
            if (Meta(key) != mine) throw new InvalidDataException($"{path}: the saved model has {key} = {Meta(key)}, this one {mine}");
        for (int m = 0; m < _members.Length; m++)
        {
            var prefix = $"member{m}.";
            _members[m].load_state_dict(tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                                               .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
            _members[m].eval();
        }
        _optimizer.load_state_dict(tensors.Where(kv => kv.Key.StartsWith("optimizer.", StringComparison.Ordinal))
                                          .ToDictionary(kv => kv.Key["optimizer.".Length..], kv => kv.Value));
        tensors["input_mean"].ToArray<float>().CopyTo(_inputMean, 0);
        tensors["input_std"].ToArray<float>().CopyTo(_inputStd, 0);
        tensors["reward_mean"].ToArray<double>().CopyTo(_rewardMean, 0);
        tensors["reward_std"].ToArray<double>().CopyTo(_rewardStd, 0);
        InputsFitted = Meta("inputs_fitted") == "true";
        Updates = int.Parse(Meta("updates"), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _stateMask?.Dispose();
        foreach (var m in _members) m.Dispose();
        _optimizer.Dispose();
    }
}
