using System.Numerics;
using System.Text;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Library;
using Robotics.Rewards.Programs;

namespace Robotics.Rewards.Generation;

/// <summary>A worked example for the prompt: an instruction and a program that rewards it well.</summary>
public sealed record FewShotExample(string Instruction, string Program);

/// <summary>
/// What the previous round left to fix: its program, and the errors it met (refusal, compile errors, failures on the
/// check states) and/or a person's remarks after watching the policy it trained (a refinement round).
/// </summary>
public sealed record PromptFeedback(string PreviousProgram, string? Errors = null, string? HumanFeedback = null);

/// <summary>Everything a prompt is made from.</summary>
public sealed record PromptRequest(IFrankaTask Task, string Instruction)
{
    public IReadOnlyList<FewShotExample> Examples { get; init; } = [];
    public PromptFeedback? Feedback { get; init; }
}

/// <summary>
/// Text2Reward's prompt, in two messages. The system message is the same for every task: the role, the rules of the
/// sandbox and the helper library (<see cref="ApiNotes"/>), and the answer format. The user message is the task:
/// the instruction, the state view's fields with the task's own description of them, the program template, optional
/// examples, and the previous round's program with its errors or a person's feedback.
/// </summary>
public static class PromptBuilder
{
    public const string SystemText = """
        You are an expert in robot reinforcement learning. You write dense reward functions, in C#, that teach a
        simulated Franka Panda arm a manipulation task. Good rewards are staged and dense: they reward progress toward
        each sub-goal (reach the object, grasp it, move it, place it) at every step, from distances in the state view,
        and give the largest reward when the task is solved, so that an agent trained with SAC learns quickly.

        Rules of the sandbox the program runs in:
        """;

    public const string AnswerFormat = """
        Answer with the complete program in one ```csharp fenced block, starting from the template. Keep the class
        name RewardProgram and the signature of Compute. Explain nothing outside the block.
        """;

    public static IReadOnlyList<ChatTurn> Build(PromptRequest request) =>
    [
        new ChatTurn(ChatRole.System, $"{SystemText}\n\n{ApiNotes.Text}\n\n{AnswerFormat}"),
        new ChatTurn(ChatRole.User, UserText(request)),
    ];

    private static string UserText(PromptRequest r)
    {
        var text = new StringBuilder();
        text.Append("## Task\n").Append(r.Instruction.Trim()).Append("\n\n");
        text.Append("## State view\n");
        text.Append("`FrankaState` is a read-only struct; world frame, metres, x right, y forward away from the robot base, z up from the table top.\n");
        text.Append("```csharp\n").Append(StateSignature()).Append("\n```\n");
        text.Append("In this task:\n").Append(r.Task.StateDescription.Trim()).Append("\n\n");
        text.Append("## Template\n```csharp\n").Append(ProgramTemplate.For(r.Task).Trim()).Append("\n```\n\n");
        for (int i = 0; i < r.Examples.Count; i++)
        {
            text.Append($"## Example {i + 1}\nInstruction: ").Append(r.Examples[i].Instruction.Trim()).Append('\n');
            text.Append("```csharp\n").Append(r.Examples[i].Program.Trim()).Append("\n```\n\n");
        }
        if (r.Feedback is { } feedback)
        {
            text.Append("## Your previous program\n```csharp\n").Append(feedback.PreviousProgram.Trim()).Append("\n```\n\n");
            if (feedback.Errors is { } errors)
                text.Append("## Problems with it\nIt was refused or failed when it ran:\n").Append(errors.Trim())
                    .Append("\n\nFix these problems; keep what already works.\n\n");
            if (feedback.HumanFeedback is { } human)
                text.Append("## Feedback from a person who watched the policy trained with it\n").Append(human.Trim())
                    .Append("\n\nImprove the reward to address this feedback.\n\n");
        }
        text.Append("Write the reward program for the task.");
        return text.ToString();
    }

    /// <summary>The state view's fields as C# (types and names), read from the type itself so it cannot go stale.</summary>
    public static string StateSignature()
    {
        var constructor = typeof(FrankaState).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var fields = constructor.GetParameters().Select(p => $"    {TypeName(p.ParameterType)} {p.Name}");
        return $"public readonly record struct FrankaState(\n{string.Join(",\n", fields)});";
    }

    private static string TypeName(Type t) => t == typeof(float) ? "float" : t == typeof(double) ? "double" : t == typeof(Vector3) ? "Vector3" : t.Name;
}
