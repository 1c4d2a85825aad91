using Robotics.Agents;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Cli.Experiments;

/// <summary>A task's scripted expert seen as an <see cref="IPolicy"/>: it reads the env's state view, not the observation.</summary>
public sealed class ExpertPolicy(FrankaEnv env) : IPolicy
{
    private readonly IScriptedPolicy _expert = env.Task.CreateExpert();

    public int ObservationSize => FrankaEnv.ObservationSize;
    public int ActionSize => env.ActionSpace.Dimension;

    public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic) => _expert.Act(env.State, action);

    public void Reset() => _expert.Reset();
}
