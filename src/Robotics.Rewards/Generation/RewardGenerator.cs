using Robotics.Envs.Tasks;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.States;

namespace Robotics.Rewards.Generation;

/// <summary>What to generate a reward for, checked on which states, with how many rounds to get it right.</summary>
public sealed record GenerationRequest(IFrankaTask Task, string Instruction, IReadOnlyList<LabelledState> CheckStates)
{
    /// <summary>Rounds in all: the first answer, then repairs fed with its errors (the paper's K).</summary>
    public int MaxRounds { get; init; } = 3;
    public IReadOnlyList<FewShotExample> Examples { get; init; } = [];
    /// <summary>A refinement: the program a person trained with, and what they want changed.</summary>
    public string? PreviousProgram { get; init; }
    public string? HumanFeedback { get; init; }
}

/// <summary>One round: the LLM's reply, the program in it (if any) and what was wrong with it (null when accepted).</summary>
public sealed record GenerationRound(int Number, string Reply, string? Program, string? Errors);

/// <summary>The accepted program (null when every round failed), each round, and the accepted program's check.</summary>
public sealed record GenerationResult(string? Program, IReadOnlyList<GenerationRound> Rounds, CheckReport? Check)
{
    public bool Ok => Program is not null;
    public string? LastErrors => Rounds.Count > 0 ? Rounds[^1].Errors : null;
}

/// <summary>
/// Text2Reward's loop: prompt → LLM → extract the program → compile in the sandbox → run it on the check states.
/// A program that is refused, fails to compile, throws, exceeds a limit or returns NaN/∞ goes back to the LLM with
/// the errors (and the states they happened on) for another round, up to <see cref="GenerationRequest.MaxRounds"/>.
/// Human feedback on a previous program starts the same loop as a refinement.
/// </summary>
public sealed class RewardGenerator(IChatModel model, ProgramCompiler compiler)
{
    /// <summary>One line per round event, for a console.</summary>
    public Action<string>? Log { get; init; }

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, GenerationRecorder? recorder = null, CancellationToken cancellation = default)
    {
        if (request.MaxRounds < 1) throw new ArgumentException($"at least one round is needed, got {request.MaxRounds}");
        if ((request.PreviousProgram is null) != (request.HumanFeedback is null))
            throw new ArgumentException("a refinement needs both the previous program and the feedback on it");
        var feedback = request.PreviousProgram is { } previous ? new PromptFeedback(previous, null, request.HumanFeedback) : null;
        var rounds = new List<GenerationRound>();
        for (int n = 1; n <= request.MaxRounds; n++)
        {
            var prompt = PromptBuilder.Build(new PromptRequest(request.Task, request.Instruction) { Examples = request.Examples, Feedback = feedback });
            recorder?.Prompt(n, prompt);
            Log?.Invoke($"round {n}: asking {model.Describe}");
            var reply = await model.CompleteAsync(prompt, cancellation).ConfigureAwait(false);
            recorder?.Reply(n, reply);

            var code = CodeExtraction.Extract(reply);
            string errors;
            if (code is null)
            {
                errors = "The reply held no ```csharp block with the program.";
                code = feedback?.PreviousProgram ?? ProgramTemplate.For(request.Task);
            }
            else
            {
                recorder?.Program(n, code);
                var (check, problems) = Try(code, request.CheckStates);
                if (problems is null)
                {
                    Log?.Invoke($"round {n}: accepted");
                    rounds.Add(new GenerationRound(n, reply, code, null));
                    recorder?.Accepted(code);
                    return Finish(new GenerationResult(code, rounds, check));
                }
                errors = problems;
            }
            Log?.Invoke($"round {n}: {errors.Split('\n')[0]}");
            recorder?.Errors(n, errors);
            rounds.Add(new GenerationRound(n, reply, code, errors));
            feedback = new PromptFeedback(code, errors, request.HumanFeedback);
        }
        return Finish(new GenerationResult(null, rounds, null));

        GenerationResult Finish(GenerationResult result)
        {
            recorder?.Summary(result, model.Describe, request.Task.Name, request.Instruction);
            return result;
        }
    }

    /// <summary>Compiles and checks a program; the errors are null when it passed both.</summary>
    private (CheckReport? Check, string? Errors) Try(string code, IReadOnlyList<LabelledState> states)
    {
        var compiled = compiler.Compile(code);
        if (compiled.Program is not { } program) return (null, compiled.Describe());
        using (program)
        {
            var check = ProgramCheck.Run(program, states);
            return (check, check.Ok ? null : check.Describe());
        }
    }
}
