using System.Numerics;

namespace Robotics.Envs.Tasks;

/// <summary>
/// A task whose goal is a point some part of the scene should reach (reach: the hand; push and pick-place: the puck),
/// so any step can be said to have achieved the goal "where that part is": what hindsight relabelling (HER) needs.
/// </summary>
public interface IGoalTask
{
    /// <summary>Where the part the goal is for is in this state, in the goal's frame and units.</summary>
    Vector3 AchievedGoal(in FrankaState state);

    /// <summary>
    /// Whether the episode of <paramref name="state"/> achieves <paramref name="goal"/> whatever its actions: an
    /// object's goal within the success radius of where the object started. The hand (reach) moves only when acted on.
    /// </summary>
    bool AchievedUntouched(in FrankaState state, Vector3 goal);
}
