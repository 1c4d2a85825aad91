namespace Robotics.Core.Data;

/// <summary>
/// A dataset of N transitions as flat row-major float32/bool arrays, saved as .npz with D4RL's key names
/// (observations, actions, rewards, terminals, timeouts, next_observations), so offline-RL code in Python reads
/// it as-is. Terminals (the task ended) and timeouts (cut by the time limit) are kept apart, as SB3 and D4RL do.
/// </summary>
public sealed record TransitionDataset
{
    public const string ObservationsKey = "observations", ActionsKey = "actions", RewardsKey = "rewards",
        TerminalsKey = "terminals", TimeoutsKey = "timeouts", NextObservationsKey = "next_observations";

    /// <summary>[N × ObservationSize]</summary>
    public float[] Observations { get; }
    /// <summary>[N × ActionSize]</summary>
    public float[] Actions { get; }
    /// <summary>[N]</summary>
    public float[] Rewards { get; }
    /// <summary>[N]</summary>
    public bool[] Terminals { get; }
    /// <summary>[N]</summary>
    public bool[] Timeouts { get; }
    /// <summary>[N × ObservationSize]</summary>
    public float[] NextObservations { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Count => Rewards.Length;

    public TransitionDataset(int observationSize, int actionSize, float[] observations, float[] actions, float[] rewards,
        bool[] terminals, bool[] timeouts, float[] nextObservations)
    {
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), $"must be positive, got {observationSize}");
        if (actionSize <= 0) throw new ArgumentOutOfRangeException(nameof(actionSize), $"must be positive, got {actionSize}");
        int n = rewards.Length;
        CheckLength(ObservationsKey, observations.Length, n, observationSize);
        CheckLength(ActionsKey, actions.Length, n, actionSize);
        CheckLength(TerminalsKey, terminals.Length, n, 1);
        CheckLength(TimeoutsKey, timeouts.Length, n, 1);
        CheckLength(NextObservationsKey, nextObservations.Length, n, observationSize);
        (ObservationSize, ActionSize) = (observationSize, actionSize);
        (Observations, Actions, Rewards, Terminals, Timeouts, NextObservations) = (observations, actions, rewards, terminals, timeouts, nextObservations);
    }

    /// <summary>Zeroed arrays for <paramref name="count"/> transitions, to be filled in place.</summary>
    public static TransitionDataset Allocate(int count, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new TransitionDataset(observationSize, actionSize, new float[(long)count * observationSize], new float[(long)count * actionSize],
            new float[count], new bool[count], new bool[count], new float[(long)count * observationSize]);
    }

    public Span<float> Observation(int i) => Observations.AsSpan(i * ObservationSize, ObservationSize);
    public Span<float> NextObservation(int i) => NextObservations.AsSpan(i * ObservationSize, ObservationSize);
    public Span<float> Action(int i) => Actions.AsSpan(i * ActionSize, ActionSize);

    private static void CheckLength(string key, int length, int n, int width)
    {
        if (length != (long)n * width)
            throw new ArgumentException(width == 1
                ? $"{key} has {length} entries, expected {n} (one per reward)"
                : $"{key} has {length} numbers, expected {n} rows × {width} = {(long)n * width}");
    }

    public void Save(string path) => Npz.Save(path,
    [
        new(ObservationsKey, new NpyArray(Observations, Count, ObservationSize)),
        new(ActionsKey, new NpyArray(Actions, Count, ActionSize)),
        new(RewardsKey, NpyArray.Vector(Rewards)),
        new(TerminalsKey, NpyArray.Vector(Terminals)),
        new(TimeoutsKey, NpyArray.Vector(Timeouts)),
        new(NextObservationsKey, new NpyArray(NextObservations, Count, ObservationSize)),
    ]);

    /// <summary>Loads and checks a dataset: every key present, with the dtype and a shape that agrees with the others.</summary>
    public static TransitionDataset Load(string path)
    {
        var arrays = Npz.Load(path);
        NpyArray Get(string key) => arrays.TryGetValue(key, out var a) ? a
            : throw new InvalidDataException($"{path}: no '{key}' array (found: {string.Join(", ", arrays.Keys)})");
        float[] Floats(string key, NpyArray a) => a.Data as float[]
            ?? throw new InvalidDataException($"{path}: '{key}' is {NpyFormat.Descr(a.DType)}, expected float32 ('<f4')");
        bool[] Bools(string key, NpyArray a) => a.Data as bool[]
            ?? throw new InvalidDataException($"{path}: '{key}' is {NpyFormat.Descr(a.DType)}, expected bool ('|b1')");

        var rewards = Get(RewardsKey);
        if (rewards.Shape.Length != 1) throw new InvalidDataException($"{path}: '{RewardsKey}' has shape {rewards.ShapeText}, expected (N,)");
        int n = rewards.Shape[0];
        int Width(string key, NpyArray a)
        {
            if (a.Shape.Length != 2 || a.Shape[0] != n)
                throw new InvalidDataException($"{path}: '{key}' has shape {a.ShapeText}, expected ({n}, dim) to match '{RewardsKey}' {rewards.ShapeText}");
            return a.Shape[1];
        }
        void Flat(string key, NpyArray a)
        {
            if (a.Shape.Length != 1 || a.Shape[0] != n)
                throw new InvalidDataException($"{path}: '{key}' has shape {a.ShapeText}, expected ({n},) to match '{RewardsKey}'");
        }

        var obs = Get(ObservationsKey);
        var next = Get(NextObservationsKey);
        var actions = Get(ActionsKey);
        var terminals = Get(TerminalsKey);
        var timeouts = Get(TimeoutsKey);
        int obsDim = Width(ObservationsKey, obs);
        int nextDim = Width(NextObservationsKey, next);
        if (nextDim != obsDim)
            throw new InvalidDataException($"{path}: '{NextObservationsKey}' has shape {next.ShapeText} but '{ObservationsKey}' has {obs.ShapeText}");
        int actDim = Width(ActionsKey, actions);
        Flat(TerminalsKey, terminals);
        Flat(TimeoutsKey, timeouts);
        if (obsDim == 0 || actDim == 0) throw new InvalidDataException($"{path}: observation size {obsDim} and action size {actDim} must be positive");
        return new TransitionDataset(obsDim, actDim,
            Floats(ObservationsKey, obs), Floats(ActionsKey, actions), Floats(RewardsKey, rewards),
            Bools(TerminalsKey, terminals), Bools(TimeoutsKey, timeouts), Floats(NextObservationsKey, next));
    }
}
