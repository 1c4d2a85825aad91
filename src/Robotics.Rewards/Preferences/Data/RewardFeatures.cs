using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Preferences.Data;

/// <summary>
/// What a learned reward r(s, a) reads: the state after the step as the observation shows it (hand xyz, gripper,
/// object pose, object-2 pose, goal xyz: 21 numbers) followed by the action. The same numbers come from a
/// <see cref="FrankaState"/> (labelling a step as it happens) and from a stored observation (relabelling a replay
/// buffer, which keeps observations only), so a model trained on one labels the other identically. The previous
/// frame the observation also carries is left out: a reward of the present state does not need it.
/// </summary>
public static class RewardFeatures
{
    /// <summary>Numbers per state: the observation's current frame (18) and the goal (3).</summary>
    public const int StateSize = FrameSize + GoalSize;
    private const int FrameSize = 18, GoalSize = 3, GoalOffset = 36;

    /// <summary>Input width of the reward model for actions of <paramref name="actionSize"/> numbers.</summary>
    public static int InputSize(int actionSize) => StateSize + actionSize;

    /// <summary>Writes the state part of the features (the first <see cref="StateSize"/> numbers of <paramref name="destination"/>).</summary>
    public static void FromState(in FrankaState s, Span<float> destination)
    {
        var f = destination[..StateSize];
        f[0] = s.Hand.X; f[1] = s.Hand.Y; f[2] = s.Hand.Z;
        f[3] = s.GripperOpening;
        f[4] = s.Object.X; f[5] = s.Object.Y; f[6] = s.Object.Z;
        f[7] = s.ObjectOrientation.W; f[8] = s.ObjectOrientation.X; f[9] = s.ObjectOrientation.Y; f[10] = s.ObjectOrientation.Z;
        f[11] = s.Object2.X; f[12] = s.Object2.Y; f[13] = s.Object2.Z;
        f[14] = s.Object2Orientation.W; f[15] = s.Object2Orientation.X; f[16] = s.Object2Orientation.Y; f[17] = s.Object2Orientation.Z;
        f[18] = s.Goal.X; f[19] = s.Goal.Y; f[20] = s.Goal.Z;
    }

    /// <summary>The same numbers from a FrankaEnv observation (39 numbers, Meta-World's layout).</summary>
    public static void FromObservation(ReadOnlySpan<float> observation, Span<float> destination)
    {
        if (observation.Length != FrankaEnv.ObservationSize)
            throw new ArgumentException($"a Franka observation has {FrankaEnv.ObservationSize} numbers, got {observation.Length}");
        observation[..FrameSize].CopyTo(destination);
        observation.Slice(GoalOffset, GoalSize).CopyTo(destination[FrameSize..StateSize]);
    }

    /// <summary>One full input row: state features then the action.</summary>
    public static void Write(in FrankaState state, ReadOnlySpan<float> action, Span<float> row)
    {
        FromState(state, row);
        action.CopyTo(row[StateSize..]);
    }

    /// <summary>One full input row from the observation after the step and the action.</summary>
    public static void Write(ReadOnlySpan<float> nextObservation, ReadOnlySpan<float> action, Span<float> row)
    {
        FromObservation(nextObservation, row);
        action.CopyTo(row[StateSize..]);
    }
}
