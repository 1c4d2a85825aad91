using Robotics.Core.Seeding;
using Robotics.Torch;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Buffers;

/// <summary>
/// A ring of transitions in float32 arrays allocated once ([capacity × dim], as SB3's buffers are).
/// Sampling allocates nothing per call (<see cref="MinibatchGatherer"/>). Only `terminated` is stored as done:
/// a truncated episode still bootstraps (Gymnasium's rule), and its true final observation is what
/// the caller passes as next observation.
/// </summary>
public sealed class ReplayBuffer : IDisposable
{
    private readonly float[] _obs, _nextObs, _actions, _rewards, _dones;
    private readonly MinibatchGatherer _gatherer;

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int BatchSize { get; }
    /// <summary>Rows filled so far (at most Capacity).</summary>
    public int Count { get; private set; }
    /// <summary>Where the next row goes.</summary>
    public int Position { get; private set; }
    /// <summary>The row the last <see cref="Add"/> wrote.</summary>
    public int LastRow => (Position - 1 + Capacity) % Capacity;
    /// <summary>HER's relabelling of drawn rows, when the run uses it (<see cref="UseHindsight"/>).</summary>
    public HindsightRelabeler? Hindsight { get; private set; }

    public ReplayBuffer(int capacity, int observationSize, int actionSize, int batchSize, Device? device = null)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), $"buffer capacity must be positive, got {capacity}");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}");
        CheckMemory(4L * capacity * (2L * observationSize + actionSize + 2), $"a replay buffer of {capacity:N0} transitions");
        (Capacity, ObservationSize, ActionSize, BatchSize) = (capacity, observationSize, actionSize, batchSize);
        _gatherer = new MinibatchGatherer(batchSize, observationSize, actionSize, device ?? Device.CPU);
        _obs = new float[(long)capacity * observationSize];
        _nextObs = new float[(long)capacity * observationSize];
        _actions = new float[(long)capacity * actionSize];
        _rewards = new float[capacity];
        _dones = new float[capacity];
    }

    /// <summary>
    /// Turns on hindsight relabelling (HER) with goals from <paramref name="goals"/>; the loop then reports each stored
    /// row to <see cref="Hindsight"/> and every draw relabels some of its rows.
    /// </summary>
    public void UseHindsight(Robotics.Core.Envs.IGoalRewards goals, int sampledGoals)
    {
        if (Count > 0) throw new InvalidOperationException("turn hindsight relabelling on before the first transition is stored");
        if (goals.GoalOffset < 0 || goals.GoalOffset + goals.GoalSize > ObservationSize)
            throw new ArgumentException($"the goal (numbers {goals.GoalOffset}–{goals.GoalOffset + goals.GoalSize - 1}) lies outside observations of {ObservationSize}");
        // The records add to the rows the constructor's estimate counted (34 more numbers a row for the Franka tasks).
        CheckMemory(4L * Capacity * (2L * ObservationSize + ActionSize + 2 + goals.RecordSize + 1),
                    $"a replay buffer of {Capacity:N0} transitions with HER's step records");
        Hindsight = new HindsightRelabeler(goals, Capacity, sampledGoals);
    }

    /// <summary>SB3's memory estimate: refuses a buffer that would take more than 80% of the memory available.</summary>
    private static void CheckMemory(long bytes, string what)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available * 0.8)
            throw new InvalidOperationException($"{what} needs {bytes / 1e9:F2} GB, more than 80% of the {available / 1e9:F2} GB available; lower buffer_size");
    }

    public void Add(ReadOnlySpan<float> obs, ReadOnlySpan<float> action, double reward, ReadOnlySpan<float> nextObs, bool terminated)
    {
        if (obs.Length != ObservationSize || nextObs.Length != ObservationSize || action.Length != ActionSize)
            throw new ArgumentException($"transition shapes obs {obs.Length}, action {action.Length}, next obs {nextObs.Length} do not match the buffer's {ObservationSize}/{ActionSize}");
        int i = Position;
        obs.CopyTo(_obs.AsSpan(i * ObservationSize, ObservationSize));
        nextObs.CopyTo(_nextObs.AsSpan(i * ObservationSize, ObservationSize));
        action.CopyTo(_actions.AsSpan(i * ActionSize, ActionSize));
        _rewards[i] = (float)reward;
        _dones[i] = terminated ? 1f : 0f;
        Position = (Position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>
    /// Uniform minibatch of <see cref="BatchSize"/> rows. The CPU tensors are the buffer's own and are
    /// overwritten by the next call: use them within one update, don't dispose them.
    /// </summary>
    public ReplayBatch Sample(Rng rng)
    {
        if (Count == 0) throw new InvalidOperationException("cannot sample from an empty replay buffer");
        return _gatherer.Draw(rng, Count, _obs, _actions, _rewards, _nextObs, _dones, Hindsight);
    }

    /// <summary>Rewards of the stored rows, for reward sources that relabel the buffer (learned and VLM rewards).</summary>
    public Span<float> Rewards => _rewards.AsSpan(0, Count);
    public ReadOnlySpan<float> Observation(int row) => _obs.AsSpan(row * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> NextObservation(int row) => _nextObs.AsSpan(row * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> Action(int row) => _actions.AsSpan(row * ActionSize, ActionSize);

    /// <summary>The filled rows as tensors that share this buffer's memory (for checkpoints); dispose them after use.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>
        {
            ["observations"] = from_array(_obs, [Capacity, ObservationSize]),
            ["next_observations"] = from_array(_nextObs, [Capacity, ObservationSize]),
            ["actions"] = from_array(_actions, [Capacity, ActionSize]),
            ["rewards"] = from_array(_rewards, [Capacity]),
            ["dones"] = from_array(_dones, [Capacity]),
            ["cursor"] = tensor(new long[] { Count, Position }),
        };
        if (Hindsight is { } her)
        {
            state["her_records"] = from_array(her.Records, [Capacity, her.RecordSize]);
            state["her_steps_to_end"] = from_array(her.StepsToEnd, [Capacity]);
        }
        return state;
    }

    /// <summary>
    /// Restores rows saved by <see cref="StateTensors"/>, also from a buffer of another capacity (a run resumed
    /// with more steps): rows are taken oldest first and the newest that fit are kept, so nothing changes
    /// when they all fit and the saved ring had not wrapped past its start.
    /// </summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        Tensor Get(string key) => state.TryGetValue(key, out var t) ? t : throw new InvalidDataException($"replay buffer state has no '{key}'");
        var obs = Get("observations");
        long savedCapacity = obs.shape[0];
        if (obs.dim() != 2 || obs.shape[1] != ObservationSize || Get("actions").shape[1] != ActionSize)
            throw new InvalidDataException($"the saved replay buffer holds observations of {obs.shape[^1]} and actions of {Get("actions").shape[^1]} numbers; this run needs {ObservationSize} and {ActionSize}");
        var cursor = Get("cursor").ToArray<long>();
        int savedCount = (int)cursor[0], savedPosition = (int)cursor[1];
        var sObs = obs.ToArray<float>();
        var sNext = Get("next_observations").ToArray<float>();
        var sActions = Get("actions").ToArray<float>();
        var sRewards = Get("rewards").ToArray<float>();
        var sDones = Get("dones").ToArray<float>();
        // HER's records, when this run relabels (a checkpoint of a run without HER cannot give them).
        float[]? sRecords = null;
        int[]? sStepsToEnd = null;
        if (Hindsight is not null)
        {
            if (!state.ContainsKey("her_records"))
                throw new InvalidDataException("the saved replay buffer has no HER records (the run was started without her_goals); resume it with the settings it was started with");
            var records = Get("her_records");
            if (records.dim() != 2 || records.shape[1] != Hindsight.RecordSize)
                throw new InvalidDataException($"the saved replay buffer's HER records hold {records.shape[^1]} numbers per step; this run's env records {Hindsight.RecordSize}");
            sRecords = records.ToArray<float>();
            sStepsToEnd = Get("her_steps_to_end").ToArray<int>();
        }
        // Oldest row first: a full ring starts at its write position, a partial one at 0.
        int start = savedCount == savedCapacity ? savedPosition : 0;
        int keep = Math.Min(savedCount, Capacity), skip = savedCount - keep;
        Count = 0;
        Position = 0;
        for (int k = skip; k < savedCount; k++)
        {
            int i = (int)((start + k) % savedCapacity);
            Add(sObs.AsSpan(i * ObservationSize, ObservationSize), sActions.AsSpan(i * ActionSize, ActionSize), sRewards[i],
                sNext.AsSpan(i * ObservationSize, ObservationSize), sDones[i] > 0.5f);
            Hindsight?.LoadRow(LastRow, sRecords, sStepsToEnd, i);
        }
        Hindsight?.FinishLoading();
    }

    public void Dispose() => _gatherer.Dispose();
}
