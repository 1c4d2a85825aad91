namespace Robotics.Rewards.Library;

/// <summary>
/// What a reward program may use, in words for the LLM's prompt: the sandbox's allow-list as a programmer needs to
/// know it. Kept next to <see cref="Shaping"/> so the two change together (a test checks each helper is mentioned).
/// </summary>
public static class ApiNotes
{
    public const string Text = """
        A reward program is one C# file: a `public static class RewardProgram` with the method
            public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
        It is called once per environment step (12.5 ms of simulated time) with the state AFTER the step and
        the action that led to it, and must return a finite double. Meta-World's hand-written rewards lie in 0 … 10
        (10 when solved); staying on that scale keeps learning rates comparable. You may add private static helper
        methods, `const` fields and `static readonly` fields of number or vector types.

        `action` has 4 numbers for end-effector control: hand displacement x, y, z in -1 … 1 (1 = 1 cm per step)
        and the gripper (+1 closes, -1 opens). Read it with action[i] and action.Length.

        Allowed:
        - arithmetic, comparisons, if/else, switch, ?:, for/while/foreach loops, local variables, local functions;
        - System.Math and System.MathF (Sqrt, Abs, Min, Max, Clamp, Exp, Tanh, Pow, ...), double.IsFinite and the like;
        - System.Numerics: Vector2, Vector3, Vector4, Quaternion, Matrix4x4 (Vector3.Distance, .Length(), Dot, Normalize, operators);
        - the state view FrankaState (fields below);
        - Robotics.Rewards.Library.Shaping:
            double Distance(Vector3 a, Vector3 b)                   euclidean distance (m)
            double HorizontalDistance(Vector3 a, Vector3 b)         distance in the table plane (x, y)
            double Tolerance(double x, double lower, double upper, double margin = 0,
                             Sigmoid sigmoid = Sigmoid.Gaussian, double valueAtMargin = 0.1)
                                                                    1 inside [lower, upper], falling to valueAtMargin
                                                                    at `margin` outside (dm_control's tolerance)
            double Near(double distance, double radius, double margin)
                                                                    1 within radius, long tail to 0.1 at radius + margin
            double HamacherProduct(double a, double b)              fuzzy AND of two values in [0, 1]
            double Clamp01(double x)                                x limited to [0, 1]
            double Angle(Quaternion a, Quaternion b)                rotation between two orientations (rad)
            Vector3 PointBehind(Vector3 point, Vector3 goal, double distance)
                                                                    `distance` behind point, away from goal, in the
                                                                    table plane: where to stand to push it there
        - Robotics.Core.Shaping.Sigmoid (Gaussian, Hyperbolic, LongTail, Reciprocal, Cosine, Linear, Quadratic, TanhSquared)
          and Robotics.Core.Shaping.Tolerance.Of / HamacherProduct (the same shapes the hand-written rewards use);
        - arrays of numbers or vectors with a constant length of at most 4096.

        Not allowed (the program is refused, naming what it used): strings, object, collections and LINQ, lambdas and
        delegates, exceptions (try/catch/throw), goto, attributes, unsafe code and pointers, stackalloc, static mutable
        fields or settable properties, classes other than static classes, and every other library API (files, network,
        processes, Environment, reflection, threads and tasks, GC, Console, Random). Each call has a budget of loop
        iterations and calls and a recursion limit; a program that exceeds them, throws, or returns NaN or infinity
        is reported with the state it failed on, and training then gets 0 for that step.
        """;
}
