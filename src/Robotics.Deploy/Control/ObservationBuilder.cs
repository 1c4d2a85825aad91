using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Control;

/// <summary>
/// Rebuilds a policy's observation from robot states, number by number as its bundle's layout names them, the way
/// FrankaEnv built it in training: the current frame, the frame of the previous control step (the current one again
/// right after a reset, as Meta-World does), the goal; entries the task leaves unused stay 0 whatever the robot
/// perceives. A test checks the result against FrankaEnv's own observation, bit for bit.
/// </summary>
public sealed class ObservationBuilder
{
    private static readonly string[] FrameNames =
    [
        "hand.x", "hand.y", "hand.z", "gripper",
        "object.x", "object.y", "object.z", "object.qw", "object.qx", "object.qy", "object.qz",
        "object2.x", "object2.y", "object2.z", "object2.qw", "object2.qx", "object2.qy", "object2.qz",
    ];

    private static readonly string[] GoalNames = ["goal.x", "goal.y", "goal.z"];

    /// <summary>Per entry: where it reads from (−1 = a constant 0), and whether from the previous frame or the goal.</summary>
    private readonly (int Index, Part Part)[] _plan;
    private readonly float[] _frame = new float[FrameNames.Length], _previous = new float[FrameNames.Length];
    private readonly double _gripperMaxWidth;
    private bool _hasPrevious;

    private enum Part { Zero, Current, Previous, Goal }

    public int Size => _plan.Length;

    public ObservationBuilder(IReadOnlyList<ObservationEntry> layout, double gripperMaxWidth)
    {
        _gripperMaxWidth = gripperMaxWidth;
        _plan = new (int, Part)[layout.Count];
        for (int i = 0; i < layout.Count; i++)
        {
            var (name, source) = (layout[i].Name, layout[i].Source);
            bool previous = name.StartsWith(ObservationLayout.PreviousPrefix, StringComparison.Ordinal);
            var bare = previous ? name[ObservationLayout.PreviousPrefix.Length..] : name;
            int frame = Array.IndexOf(FrameNames, bare);
            int goal = Array.IndexOf(GoalNames, bare);
            _plan[i] = source == ObservationSource.Unused ? (-1, Part.Zero)
                : frame >= 0 ? (frame, previous ? Part.Previous : Part.Current)
                : goal >= 0 && !previous ? (goal, Part.Goal)
                : throw new InvalidDataException($"observation entry '{name}' is not one this build can read from a robot");
        }
    }

    /// <summary>A new episode: the next state's frame is also its own previous frame.</summary>
    public void Reset() => _hasPrevious = false;

    public void Build(RobotState state, Span<float> observation)
    {
        if (observation.Length != _plan.Length) throw new ArgumentException($"the observation buffer holds {observation.Length} numbers, the layout {_plan.Length}");
        WriteFrame(state, _frame);
        if (!_hasPrevious) _frame.CopyTo(_previous);
        var goal = state.Perception.Goal;
        for (int i = 0; i < _plan.Length; i++)
        {
            var (index, part) = _plan[i];
            observation[i] = part switch
            {
                Part.Current => _frame[index],
                Part.Previous => _previous[index],
                Part.Goal => index == 0 ? goal.X : index == 1 ? goal.Y : goal.Z,
                _ => 0f,
            };
        }
        _frame.CopyTo(_previous);
        _hasPrevious = true;
    }

    private void WriteFrame(RobotState s, Span<float> f)
    {
        var p = s.Perception;
        f[0] = s.EndEffectorPosition.X; f[1] = s.EndEffectorPosition.Y; f[2] = s.EndEffectorPosition.Z;
        // As FrankaEnv: the opening over the full opening, clamped, computed in double and rounded once.
        f[3] = (float)Math.Clamp(s.GripperWidth / _gripperMaxWidth, 0, 1);
        f[4] = p.Object.X; f[5] = p.Object.Y; f[6] = p.Object.Z;
        f[7] = p.ObjectOrientation.W; f[8] = p.ObjectOrientation.X; f[9] = p.ObjectOrientation.Y; f[10] = p.ObjectOrientation.Z;
        f[11] = p.Object2.X; f[12] = p.Object2.Y; f[13] = p.Object2.Z;
        f[14] = p.Object2Orientation.W; f[15] = p.Object2Orientation.X; f[16] = p.Object2Orientation.Y; f[17] = p.Object2Orientation.Z;
    }
}
