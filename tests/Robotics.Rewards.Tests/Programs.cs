namespace Robotics.Rewards.Tests;

/// <summary>Reward programs the tests compile: a body wrapped in the usual usings and RewardProgram class.</summary>
internal static class Programs
{
    public const string Usings = """
        using System;
        using System.Numerics;
        using Robotics.Core.Shaping;
        using Robotics.Envs.Tasks;
        using Robotics.Rewards.Library;

        """;

    /// <summary>A whole program whose Compute has the given body; extra members go after it.</summary>
    public static string WithBody(string body, string members = "") => Usings + $$"""
        public static class RewardProgram
        {
            public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
            {
                {{body}}
            }
            {{members}}
        }
        """;

    /// <summary>A legitimate staged reach reward using Math, vectors and the helper library.</summary>
    public const string GoodReach = Usings + """
        public static class RewardProgram
        {
            const double SuccessRadius = 0.05;

            public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
            {
                Vector3 toGoal = state.Goal - state.Hand;
                double distance = toGoal.Length();
                double start = Math.Max(Vector3.Distance(state.HandInitial, state.Goal), 1e-3);
                double near = Shaping.Near(distance, SuccessRadius, start);
                double effort = 0;
                for (int i = 0; i < Math.Min(3, action.Length); i++) effort += action[i] * action[i];
                double heading = distance > 1e-6 ? Vector3.Dot(Vector3.Normalize(toGoal), new Vector3(action[0], action[1], action[2])) : 0;
                return distance <= SuccessRadius ? 10 : 8 * near + 1 * Math.Clamp(heading, -1, 1) - 0.01 * effort;
            }
        }
        """;

    /// <summary>Does not compile: `distanse` is not declared.</summary>
    public const string Misspelt = Usings + """
        public static class RewardProgram
        {
            public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
            {
                double distance = Vector3.Distance(state.Hand, state.Goal);
                return -distanse;
            }
        }
        """;
}
