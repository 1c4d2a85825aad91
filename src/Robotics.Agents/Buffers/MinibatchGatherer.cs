using Robotics.Core.Seeding;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Buffers;

/// <summary>One sampled minibatch; rewards and dones are [batch, 1] so they broadcast against Q-values.</summary>
public readonly record struct ReplayBatch(Tensor Observations, Tensor Actions, Tensor Rewards, Tensor NextObservations, Tensor Dones);

/// <summary>
/// Draws uniform minibatches (with replacement) from transitions kept in flat float32 arrays, as the replay buffer
/// and the offline dataset keep them. Rows are copied into batch arrays allocated once, which CPU tensors wrap
/// without copying, so a draw allocates nothing; on CUDA the batch is copied to the device. The CPU tensors are
/// overwritten by the next draw: use them within one update, don't dispose them.
/// </summary>
internal sealed class MinibatchGatherer : IDisposable
{
    private readonly int _obsSize, _actSize;
    private readonly float[] _bObs, _bNextObs, _bActions, _bRewards, _bDones;
    private readonly Tensor _tObs, _tNextObs, _tActions, _tRewards, _tDones;
    private readonly Device _device;

    public MinibatchGatherer(int batchSize, int observationSize, int actionSize, Device device)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}");
        (BatchSize, _obsSize, _actSize, _device) = (batchSize, observationSize, actionSize, device);
        _bObs = new float[batchSize * observationSize];
        _bNextObs = new float[batchSize * observationSize];
        _bActions = new float[batchSize * actionSize];
        _bRewards = new float[batchSize];
        _bDones = new float[batchSize];
        _tObs = from_array(_bObs, [batchSize, observationSize]).DetachFromDisposeScope();
        _tNextObs = from_array(_bNextObs, [batchSize, observationSize]).DetachFromDisposeScope();
        _tActions = from_array(_bActions, [batchSize, actionSize]).DetachFromDisposeScope();
        _tRewards = from_array(_bRewards, [batchSize, 1]).DetachFromDisposeScope();
        _tDones = from_array(_bDones, [batchSize, 1]).DetachFromDisposeScope();
    }

    public int BatchSize { get; }

    /// <summary>
    /// A batch of rows drawn uniformly from the first <paramref name="count"/> rows of the arrays, each given to
    /// <paramref name="hindsight"/> (when there is one) to relabel its goal in the batch's copy.
    /// </summary>
    public ReplayBatch Draw(Rng rng, int count, float[] obs, float[] actions, float[] rewards, float[] nextObs, float[] dones,
                            HindsightRelabeler? hindsight = null)
    {
        for (int b = 0; b < BatchSize; b++)
        {
            int i = rng.NextInt(count);
            obs.AsSpan(i * _obsSize, _obsSize).CopyTo(_bObs.AsSpan(b * _obsSize));
            nextObs.AsSpan(i * _obsSize, _obsSize).CopyTo(_bNextObs.AsSpan(b * _obsSize));
            actions.AsSpan(i * _actSize, _actSize).CopyTo(_bActions.AsSpan(b * _actSize));
            _bRewards[b] = rewards[i];
            _bDones[b] = dones[i];
            hindsight?.Rewrite(rng, i, _bObs.AsSpan(b * _obsSize, _obsSize), _bNextObs.AsSpan(b * _obsSize, _obsSize),
                               _bActions.AsSpan(b * _actSize, _actSize), ref _bRewards[b]);
        }
        if (_device.type == DeviceType.CPU) return new ReplayBatch(_tObs, _tActions, _tRewards, _tNextObs, _tDones);
        return new ReplayBatch(_tObs.to(_device), _tActions.to(_device), _tRewards.to(_device), _tNextObs.to(_device), _tDones.to(_device));
    }

    public void Dispose()
    {
        foreach (var t in new[] { _tObs, _tNextObs, _tActions, _tRewards, _tDones }) t.Dispose();
    }
}
