using System.Numerics;
using Robotics.Core.Seeding;

namespace Robotics.Envs.Tasks;

/// <summary>Seeded randomisation helpers for task initialisation.</summary>
public static class Sampling
{
    public static Vector3 UniformBox(Rng rng, Vector3 low, Vector3 high) => new(
        (float)rng.Uniform(low.X, high.X), (float)rng.Uniform(low.Y, high.Y), (float)rng.Uniform(low.Z, high.Z));
}
