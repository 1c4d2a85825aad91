using System.Text;
using System.Text.Json;

namespace Robotics.Rewards.Generation;

/// <summary>
/// Keeps a generation's prompts, replies, programs and errors in a run directory, so what the LLM was asked and what
/// it answered can be read afterwards: reward/rounds/NN-prompt.md, NN-reply.md, NN-program.cs, NN-errors.txt, the
/// accepted program as reward/program.cs (which reports show) and a summary in reward/generation.json.
/// </summary>
public sealed class GenerationRecorder(string runDirectory)
{
    public const string ProgramFile = "reward/program.cs";

    public string RewardDirectory { get; } = Path.Combine(runDirectory, "reward");
    public string RoundsDirectory => Path.Combine(RewardDirectory, "rounds");
    public string ProgramPath => Path.Combine(RewardDirectory, "program.cs");

    public void Prompt(int round, IReadOnlyList<ChatTurn> prompt)
    {
        var text = new StringBuilder();
        foreach (var turn in prompt) text.Append($"# {turn.Role.ToString().ToLowerInvariant()}\n\n{turn.Text.Trim()}\n\n");
        Write(round, "prompt.md", text.ToString());
    }

    public void Reply(int round, string reply) => Write(round, "reply.md", reply);
    public void Program(int round, string source) => Write(round, "program.cs", source);
    public void Errors(int round, string errors) => Write(round, "errors.txt", errors.TrimEnd() + "\n");

    public void Accepted(string source)
    {
        Directory.CreateDirectory(RewardDirectory);
        File.WriteAllText(ProgramPath, source);
    }

    public void Summary(GenerationResult result, string model, string task, string instruction)
    {
        Directory.CreateDirectory(RewardDirectory);
        File.WriteAllText(Path.Combine(RewardDirectory, "generation.json"), JsonSerializer.Serialize(new
        {
            task, instruction, model, ok = result.Ok, rounds = result.Rounds.Count,
            program = result.Ok ? ProgramFile : null,
            round_errors = result.Rounds.Select(r => r.Errors).ToList(),
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private void Write(int round, string name, string text)
    {
        Directory.CreateDirectory(RoundsDirectory);
        File.WriteAllText(Path.Combine(RoundsDirectory, $"{round:D2}-{name}"), text);
    }
}
