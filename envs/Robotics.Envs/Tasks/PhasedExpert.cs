using System.Numerics;

namespace Robotics.Envs.Tasks;

/// <summary>
/// One step of a scripted expert: a hand target computed from the current state, a gripper command, and when
/// the step counts as done (hand within <see cref="Tolerance"/> of the target after at least <see cref="MinSteps"/>
/// steps, or a task-specific test). Targets are recomputed every step so the expert follows moving objects.
/// <see cref="Restart"/>, when it holds, sends the expert back to the first phase (e.g. a grasp that slipped).
/// </summary>
public sealed record ExpertPhase(
    Func<FrankaState, Vector3> Target,
    float Grip,
    float Tolerance = 0.01f,
    int MinSteps = 0,
    Func<FrankaState, bool>? Done = null,
    Func<FrankaState, bool>? Restart = null);

/// <summary>
/// A waypoint expert: runs its phases in order, advancing when a phase is done; the last phase holds forever
/// (it is the one that finishes the task, so it must keep acting until the episode ends).
/// </summary>
public sealed class PhasedExpert(IReadOnlyList<ExpertPhase> phases) : IScriptedPolicy
{
    private int _phase, _steps;

    public int Phase => _phase;

    public void Reset() => (_phase, _steps) = (0, 0);

    public void Act(in FrankaState s, Span<float> action)
    {
        if (phases[_phase].Restart is { } restart && restart(s)) (_phase, _steps) = (0, 0);
        while (_phase < phases.Count - 1 && IsDone(phases[_phase], s)) (_phase, _steps) = (_phase + 1, 0);
        var p = phases[_phase];
        Steering.Toward(s.Hand, p.Target(s), action);
        action[3] = p.Grip;
        _steps++;
    }

    private bool IsDone(ExpertPhase p, in FrankaState s)
    {
        if (_steps < p.MinSteps) return false;
        return p.Done is { } done ? done(s) : Vector3.Distance(s.Hand, p.Target(s)) <= p.Tolerance;
    }
}
