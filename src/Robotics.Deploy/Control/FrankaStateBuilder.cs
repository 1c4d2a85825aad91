using System.Numerics;
using Robotics.Deploy.Robots;
using Robotics.Envs.Tasks;

namespace Robotics.Deploy.Control;

/// <summary>
/// Rebuilds a task's state view (<see cref="FrankaState"/>) from robot states, for scripted experts and success
/// tests: the hand and gripper from the arm, objects, goal and the fixture's joint from perception, the episode's
/// initial hand and object positions from its first state. The finger pads are not measured by a real arm; they are
/// placed where the Franka hand puts them, half the gripper width either side of the fingertip centre along the
/// hand's y axis (assets/franka/panda.xml).
/// </summary>
public sealed class FrankaStateBuilder(double gripperMaxWidth)
{
    private Vector3? _handInitial, _objectInitial;

    /// <summary>A new episode: the next state is its first.</summary>
    public void Reset() => (_handInitial, _objectInitial) = (null, null);

    public FrankaState Build(RobotState s)
    {
        var p = s.Perception;
        _handInitial ??= s.EndEffectorPosition;
        _objectInitial ??= p.Object;
        var halfWidth = Vector3.Transform(new Vector3(0, (float)(s.GripperWidth / 2), 0), s.EndEffectorOrientation);
        return new FrankaState(
            Hand: s.EndEffectorPosition,
            GripperOpening: (float)Math.Clamp(s.GripperWidth / gripperMaxWidth, 0, 1),
            LeftPad: s.EndEffectorPosition + halfWidth,
            RightPad: s.EndEffectorPosition - halfWidth,
            Object: p.Object, ObjectOrientation: p.ObjectOrientation,
            Object2: p.Object2, Object2Orientation: p.Object2Orientation,
            Goal: p.Goal,
            HandInitial: _handInitial.Value,
            ObjectInitial: _objectInitial.Value,
            Joint: p.Articulation);
    }
}
