using System.Numerics;

namespace Robotics.Core.Shaping;

/// <summary>Geometry on the table's plane (x, y) that task rewards and reward programs share.</summary>
public static class TablePlane
{
    /// <summary>
    /// The point <paramref name="distance"/> behind <paramref name="point"/> on the table-plane line from
    /// <paramref name="goal"/> through it, at the point's height: where a hand stands to push it toward the goal. The
    /// point itself when it is straight above or below the goal, where "behind" has no direction.
    /// </summary>
    public static Vector3 PointBehind(Vector3 point, Vector3 goal, float distance)
    {
        var way = goal - point;
        way.Z = 0;
        return way.LengthSquared() > 1e-12f ? point - distance * Vector3.Normalize(way) : point;
    }
}
