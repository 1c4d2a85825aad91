using Robotics.Core.Envs;
using Robotics.Core.Spaces;

namespace Robotics.Core.Vector;

/// <summary>
/// Steps N copies of an env on worker threads. Batch arrays are allocated once and overwritten by each call
/// (copy them to keep them). Copy i is seeded with seed + i. Episodes auto-reset in <see cref="AutoresetMode.SameStep"/> mode.
/// </summary>
public sealed class VectorEnv : IDisposable
{
    private readonly IEnv[] _envs;
    private readonly WorkerPool _pool;
    private readonly int _obsDim, _actDim;

    public int NumEnvs => _envs.Length;
    public int Workers => _pool.Workers;
    public AutoresetMode AutoresetMode => AutoresetMode.SameStep;
    public BoxSpace SingleObservationSpace { get; }
    public BoxSpace SingleActionSpace { get; }

    /// <summary>[NumEnvs × obs dim], row i is copy i.</summary>
    public float[] Observations { get; }
    public double[] Rewards { get; }
    public bool[] Terminated { get; }
    public bool[] Truncated { get; }
    public Info[] Infos { get; }

    public VectorEnv(IReadOnlyList<IEnv> envs, int workers)
    {
        if (envs.Count == 0) throw new ArgumentException("a vector env needs at least one env", nameof(envs));
        _envs = envs.ToArray();
        SingleObservationSpace = _envs[0].ObservationSpace;
        SingleActionSpace = _envs[0].ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
            if (!_envs[i].ObservationSpace.Equals(SingleObservationSpace) || !_envs[i].ActionSpace.Equals(SingleActionSpace))
                throw new ArgumentException($"env {i} has different observation or action spaces from env 0; all copies must share them");
        _obsDim = SingleObservationSpace.Dimension;
        _actDim = SingleActionSpace.Dimension;
        Observations = new float[NumEnvs * _obsDim];
        Rewards = new double[NumEnvs];
        Terminated = new bool[NumEnvs];
        Truncated = new bool[NumEnvs];
        Infos = new Info[NumEnvs];
        _pool = new WorkerPool(NumEnvs, workers);
    }

    public static VectorEnv Create(Func<int, IEnv> factory, int numEnvs, int workers) =>
        new(Enumerable.Range(0, numEnvs).Select(factory).ToArray(), workers);

    public ReadOnlySpan<float> Observation(int i) => Observations.AsSpan(i * _obsDim, _obsDim);

    public void Reset(int? seed = null)
    {
        _pool.Run(i =>
        {
            var r = _envs[i].Reset(seed + i);
            r.Observation.CopyTo(Observations, i * _obsDim);
            Infos[i] = r.Info;
            Rewards[i] = 0;
            Terminated[i] = Truncated[i] = false;
        });
    }

    /// <summary>Steps every copy with its row of <paramref name="actions"/> ([NumEnvs × action dim]).</summary>
    public void Step(float[] actions)
    {
        if (actions.Length != NumEnvs * _actDim)
            throw new ArgumentException($"actions has {actions.Length} numbers, expected {NumEnvs} envs × {_actDim} = {NumEnvs * _actDim}");
        _pool.Run(i =>
        {
            var r = _envs[i].Step(actions.AsSpan(i * _actDim, _actDim));
            var obs = r.Observation;
            if (r.Done)
            {
                r.Info.FinalObservation = obs;
                obs = _envs[i].Reset().Observation;
            }
            obs.CopyTo(Observations, i * _obsDim);
            Rewards[i] = r.Reward;
            Terminated[i] = r.Terminated;
            Truncated[i] = r.Truncated;
            Infos[i] = r.Info;
        });
    }

    public void Dispose()
    {
        _pool.Dispose();
        foreach (var e in _envs) e.Dispose();
    }
}
