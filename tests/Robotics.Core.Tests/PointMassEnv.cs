using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Core.Spaces;

namespace Robotics.Core.Tests;

/// <summary>A 2-D point pushed toward a random goal: a test fixture for wrappers and vector envs.</summary>
internal sealed class PointMassEnv : IEnv
{
    private readonly Rng _rng = new(0);
    private float _x, _y, _gx, _gy;
    public BoxSpace ObservationSpace { get; } = BoxSpace.Uniform(4, -2, 2);
    public BoxSpace ActionSpace { get; } = new([-0.1f, -0.1f], [0.1f, 0.1f]);
    public int Resets { get; private set; }

    public ResetResult Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        (_x, _y) = ((float)_rng.Uniform(-1, 1), (float)_rng.Uniform(-1, 1));
        (_gx, _gy) = ((float)_rng.Uniform(-1, 1), (float)_rng.Uniform(-1, 1));
        Resets++;
        return new(Obs(), new Info { Success = false });
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        ActionSpace.Validate(action, "action");
        _x += action[0]; _y += action[1];
        double d = Math.Sqrt((_x - _gx) * (_x - _gx) + (_y - _gy) * (_y - _gy));
        var info = new Info { Success = d < 0.05 };
        info["distance"] = d;
        return new(Obs(), -d, info.Success, false, info);
    }

    private float[] Obs() => [_x, _y, _gx, _gy];

    public RgbImage Render()
    {
        var p = new byte[16 * 16 * 3];
        int px = Math.Clamp((int)((_x + 1) * 8), 0, 15), py = Math.Clamp((int)((_y + 1) * 8), 0, 15);
        p[(py * 16 + px) * 3] = 255;
        return RgbImage.Create(16, 16, p);
    }

    public void Dispose() { }
}
