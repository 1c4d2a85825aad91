using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;

namespace Robotics.Envs.Tasks;

/// <summary>
/// A task = scene + randomisation + reward + success test (dm_control / Meta-World). A task object binds to one
/// <see cref="FrankaPhysics"/> (ids looked up once) and keeps per-episode data such as initial positions.
/// </summary>
public interface IFrankaTask
{
    /// <summary>Meta-World's name, e.g. "pick-place".</summary>
    string Name { get; }
    /// <summary>The goal in words, as an instruction to an LLM or a VLM would state it.</summary>
    string Instruction { get; }
    /// <summary>Scene file relative to assets/, e.g. "tasks/pick-place.xml".</summary>
    string ModelFile { get; }
    /// <summary>What each <see cref="FrankaState"/> field means for this task (units, frames), for prompts.</summary>
    string StateDescription { get; }

    void Bind(FrankaPhysics physics);

    /// <summary>Randomises objects and goal from the episode's RNG. The arm is already at home.</summary>
    void InitializeEpisode(FrankaPhysics physics, Rng rng);

    /// <summary>Reads the task's objects; the env fills the arm's fields.</summary>
    FrankaState ReadState(FrankaPhysics physics, FrankaState arm);

    RewardResult ComputeReward(in FrankaState state, ReadOnlySpan<float> action);

    /// <summary>A scripted policy that solves the task from the state view.</summary>
    IScriptedPolicy CreateExpert();
}

/// <summary>A policy over the state view (scripted experts): returns the 4-number Meta-World action.</summary>
public interface IScriptedPolicy
{
    void Reset();
    void Act(in FrankaState state, Span<float> action);
}

/// <summary>Moves the hand toward a point at full speed (1 cm/step), the building block of scripted experts.</summary>
public static class Steering
{
    public static void Toward(Vector3 from, Vector3 to, Span<float> action, float gain = 25f)
    {
        var d = (to - from) * gain;
        action[0] = Math.Clamp(d.X, -1, 1);
        action[1] = Math.Clamp(d.Y, -1, 1);
        action[2] = Math.Clamp(d.Z, -1, 1);
    }
}
