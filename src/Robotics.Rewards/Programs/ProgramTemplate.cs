using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Programs;

/// <summary>
/// The skeleton of a reward program for a task: the usings programs need, the task's instruction and state
/// description as comments, and Compute with the state view and action as parameters. `robo reward template` prints
/// it; prompts show it to the LLM as the shape to fill in.
/// </summary>
public static class ProgramTemplate
{
    public const string ClassName = "RewardProgram";
    public const string EmptyBody = "return 0.0;";

    public static string For(IFrankaTask task, string? body = null)
    {
        var description = string.Join("\n", task.StateDescription.Trim().Split('\n').Select(l => "//   " + l.TrimEnd()));
        var code = (body ?? EmptyBody).Trim().Split('\n').Select(l => "        " + l.TrimEnd());
        return $$"""
            // Reward program for the task '{{task.Name}}': {{task.Instruction}}
            // State view (world frame, metres; z up from the table top):
            {{description}}
            using System;
            using System.Numerics;
            using Robotics.Core.Shaping;
            using Robotics.Envs.Tasks;
            using Robotics.Rewards.Library;

            public static class {{ClassName}}
            {
                public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
                {
            {{string.Join("\n", code)}}
                }
            }

            """;
    }
}
