using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Deploy.Control;

/// <summary>
/// Whatever decides the actions in a deployment: a trained policy from a bundle, or a task's scripted expert. It
/// reads robot states and writes the normalised action its <see cref="Requirements"/> describe. Act runs on the
/// control loop's policy thread; Reset only while Act is not running.
/// </summary>
public interface IDeployPolicy : IDisposable
{
    /// <summary>A few words for logs ("bc policy from policy.robo", "reach expert").</summary>
    string Description { get; }
    PolicyRequirements Requirements { get; }
    /// <summary>The control rate the policy was trained at, when known.</summary>
    double? TrainedRateHz { get; }
    void Reset();
    void Act(RobotState state, Span<float> action);
}

/// <summary>A bundle's trained policy: observations rebuilt from robot states by its layout, deterministic actions.</summary>
public sealed class BundlePolicy(PolicyBundle bundle) : IDeployPolicy
{
    private readonly ObservationBuilder _observations = new(bundle.Manifest.ObservationLayout, bundle.Manifest.ActionScaling.GripperMaxWidth);
    private readonly float[] _observation = new float[bundle.Manifest.ObservationSize];

    public PolicyBundle Bundle => bundle;
    public string Description => $"{bundle.Manifest.Algorithm} policy from {Path.GetFileName(bundle.Path)}";
    public PolicyRequirements Requirements => bundle.Manifest.Requirements;
    public double? TrainedRateHz => bundle.Manifest.ControlRateHz;

    public void Reset()
    {
        _observations.Reset();
        bundle.Policy.Reset();
    }

    public void Act(RobotState state, Span<float> action)
    {
        _observations.Build(state, _observation);
        bundle.Policy.Act(_observation, action, deterministic: true);
    }

    public void Dispose() => bundle.Dispose();
}

/// <summary>
/// A task's scripted expert driving a robot: its state view is rebuilt from robot states (<see cref="FrankaStateBuilder"/>),
/// so the robot must perceive everything the view holds. Checks a robot set-up without a trained network.
/// </summary>
public sealed class ExpertDeployPolicy : IDeployPolicy
{
    private readonly IScriptedPolicy _expert;
    private readonly FrankaStateBuilder _states;

    public string Task { get; }
    public string Description => $"{Task} expert";
    public PolicyRequirements Requirements { get; }
    public double? TrainedRateHz => null;

    public ExpertDeployPolicy(string task)
    {
        _expert = FrankaSuite.CreateTask(task).CreateExpert();
        Task = task;
        var scaling = ActionScaling.ForControl(ControlMode.EndEffector);
        Requirements = new PolicyRequirements(task, scaling, ObservationLayout.StateViewOf(task));
        _states = new FrankaStateBuilder(scaling.GripperMaxWidth);
    }

    public void Reset()
    {
        _states.Reset();
        _expert.Reset();
    }

    public void Act(RobotState state, Span<float> action) => _expert.Act(_states.Build(state), action);

    public void Dispose() { }
}

/// <summary>
/// The task's own success test applied to the state view rebuilt from robot states: what a cell without a success
/// signal of its own reports as success (only as good as its perception).
/// </summary>
public sealed class SuccessJudge
{
    private readonly IFrankaTask _task;
    private readonly FrankaStateBuilder _states;
    private readonly float[] _noAction;

    private SuccessJudge(string task, double gripperMaxWidth)
    {
        _task = FrankaSuite.CreateTask(task);
        _states = new FrankaStateBuilder(gripperMaxWidth);
        _noAction = new float[4];
    }

    /// <summary>A judge for <paramref name="task"/>, or null when the robot does not perceive what the success test reads.</summary>
    public static SuccessJudge? For(string task, RobotCapabilities robot)
    {
        var needs = ObservationLayout.StateViewOf(task);
        return (needs & ~robot.Perception) == PerceptionItems.None ? new SuccessJudge(task, robot.GripperMaxWidth) : null;
    }

    public void Reset() => _states.Reset();

    public bool Judge(RobotState state) => _task.ComputeReward(_states.Build(state), _noAction).Success;
}
