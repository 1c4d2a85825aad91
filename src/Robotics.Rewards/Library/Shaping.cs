using System.Numerics;
using Robotics.Core.Shaping;

namespace Robotics.Rewards.Library;

/// <summary>
/// The helper library reward programs may call (besides Math, MathF and System.Numerics): the distances and
/// tolerance shapes Meta-World's hand-written rewards are made of, so a generated reward can be written on the same
/// scale. Every member is a pure function of its arguments; <see cref="ApiNotes"/> describes them to the LLM, and a
/// test keeps the two in step.
/// </summary>
public static class Shaping
{
    /// <summary>Euclidean distance (m).</summary>
    public static double Distance(Vector3 a, Vector3 b) => Vector3.Distance(a, b);

    /// <summary>Distance in the table plane (x, y), ignoring height.</summary>
    public static double HorizontalDistance(Vector3 a, Vector3 b) => Vector2.Distance(new Vector2(a.X, a.Y), new Vector2(b.X, b.Y));

    /// <summary>
    /// dm_control's tolerance: 1 when lower ≤ x ≤ upper, falling to valueAtMargin at distance margin outside the
    /// bounds along the chosen sigmoid (0 outside when margin is 0).
    /// </summary>
    public static double Tolerance(double x, double lower, double upper, double margin = 0, Sigmoid sigmoid = Sigmoid.Gaussian, double valueAtMargin = 0.1) =>
        Robotics.Core.Shaping.Tolerance.Of(x, lower, upper, margin, sigmoid, valueAtMargin);

    /// <summary>
    /// Closeness reward for a distance: 1 within radius, long-tailed fall-off to 0.1 at radius + margin (the shape of
    /// Meta-World's reach and place terms). A margin below 1 mm is raised to 1 mm so a zero start distance cannot divide by zero.
    /// </summary>
    public static double Near(double distance, double radius, double margin) =>
        Robotics.Core.Shaping.Tolerance.Of(distance, 0, Math.Max(radius, 0), Math.Max(margin, 1e-3), Sigmoid.LongTail);

    /// <summary>Meta-World's fuzzy AND of two rewards in [0, 1] (inputs are clamped to [0, 1]): high only when both are.</summary>
    public static double HamacherProduct(double a, double b) =>
        Robotics.Core.Shaping.Tolerance.HamacherProduct(Clamp01(a), Clamp01(b));

    /// <summary>x limited to [0, 1]; NaN becomes 0.</summary>
    public static double Clamp01(double x) => x >= 0 ? Math.Min(x, 1) : 0;

    /// <summary>
    /// The point `distance` behind `point` on the table-plane line from `goal` through it, at the point's height: where
    /// a hand stands to push it toward the goal (the point itself when it is straight above the goal).
    /// </summary>
    public static Vector3 PointBehind(Vector3 point, Vector3 goal, double distance) =>
        TablePlane.PointBehind(point, goal, (float)distance);

    /// <summary>The rotation angle between two orientations, in radians (0 … π).</summary>
    public static double Angle(Quaternion a, Quaternion b)
    {
        double dot = Math.Abs(Quaternion.Dot(Quaternion.Normalize(a), Quaternion.Normalize(b)));
        return 2 * Math.Acos(Math.Min(dot, 1));
    }
}
