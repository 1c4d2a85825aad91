using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Bundles;

/// <summary>A policy whose needs the robot cannot meet; every unmet need is listed.</summary>
public sealed class BundleMismatchException(IReadOnlyList<string> problems)
    : Exception("the policy does not fit this robot: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// What a policy needs from a robot before it may run there: the task the cell is set up for, the command mode,
/// the perception its inputs come from, the number of joints, and a command rate the robot can follow.
/// </summary>
public sealed record PolicyRequirements(string Task, ActionScaling Scaling, PerceptionItems Perception)
{
    /// <summary>Every way <paramref name="robot"/> falls short, in words; empty when the policy fits.</summary>
    public IReadOnlyList<string> Mismatches(RobotCapabilities robot, double rateHz)
    {
        var problems = new List<string>();
        if (robot.Task.Length > 0 && robot.Task != Task)
            problems.Add($"the robot is set up for task '{robot.Task}', the policy is for '{Task}'");
        if (!robot.Accepts(Scaling.Mode))
            problems.Add($"the policy commands {Scaling.Mode}, the robot accepts {robot.Modes}");
        if (Scaling.Mode == CommandMode.JointTargets && robot.Joints != Scaling.Joints)
            problems.Add($"the policy drives {Scaling.Joints} joints, the robot has {robot.Joints}");
        var missing = Perception & ~robot.Perception;
        if (missing != PerceptionItems.None)
            problems.Add($"the policy needs perception of {string.Join(", ", ObservationLayout.Names(missing))}, " +
                         $"the robot perceives {(robot.Perception == PerceptionItems.None ? "nothing" : string.Join(", ", ObservationLayout.Names(robot.Perception)))}");
        if (rateHz > robot.MaxCommandRateHz)
            problems.Add($"a control rate of {rateHz:0.##} Hz is above the robot's {robot.MaxCommandRateHz:0.##} Hz");
        if (robot.GripperMaxWidth + 1e-3 < Scaling.GripperMaxWidth)
            problems.Add($"the policy opens the gripper to {Scaling.GripperMaxWidth:0.###} m, the robot's opens to {robot.GripperMaxWidth:0.###} m");
        return problems;
    }

    /// <summary>Throws <see cref="BundleMismatchException"/> naming every problem when the policy does not fit.</summary>
    public void Check(RobotCapabilities robot, double rateHz)
    {
        var problems = Mismatches(robot, rateHz);
        if (problems.Count > 0) throw new BundleMismatchException(problems);
    }
}
