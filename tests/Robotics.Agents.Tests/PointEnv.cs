using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Core.Spaces;

namespace Robotics.Agents.Tests;

/// <summary>
/// A cheap env for algorithm tests: a point in [-1, 1]² moves by 0.1·action per step and is rewarded for
/// nearing the origin (reward 1 − |x|, success within 0.1). Episodes are truncated after <see cref="Limit"/>
/// steps. <see cref="NanRewardAtStep"/> makes it return a NaN reward, to test how training stops.
/// </summary>
public sealed class PointEnv(int limit = 50, long nanRewardAtStep = -1) : IEnv
{
    private readonly Rng _rng = new(0);
    private readonly float[] _x = new float[2];
    private int _t;
    private long _total;

    public int Limit { get; } = limit;
    public long NanRewardAtStep { get; } = nanRewardAtStep;
    public BoxSpace ObservationSpace { get; } = BoxSpace.Uniform(2, -1, 1);
    public BoxSpace ActionSpace { get; } = BoxSpace.Uniform(2, -1, 1);

    public ResetResult Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        _x[0] = (float)_rng.Uniform(-1, 1);
        _x[1] = (float)_rng.Uniform(-1, 1);
        _t = 0;
        return new ResetResult((float[])_x.Clone(), new Info { Success = false });
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        ActionSpace.Validate(action, "action");
        for (int i = 0; i < 2; i++) _x[i] = Math.Clamp(_x[i] + 0.1f * action[i], -1, 1);
        _t++;
        _total++;
        double distance = Math.Sqrt(_x[0] * _x[0] + _x[1] * _x[1]);
        double reward = _total == NanRewardAtStep ? double.NaN : 1 - distance;
        return new StepResult((float[])_x.Clone(), reward, false, _t >= Limit, new Info { Success = distance < 0.1 });
    }

    public RgbImage Render() => RgbImage.Create(8, 8, new byte[8 * 8 * 3]);

    public void Dispose() { }
}
