using Robotics.Rewards.Sandbox;
using Robotics.Rewards.States;

namespace Robotics.Rewards.Programs;

/// <summary>One state's outcome in a check: the program's reward (or its failure) beside the task's own reward.</summary>
public sealed record CheckedState(string Label, double? Reward, double TaskReward, ProgramFailure? Failure);

/// <summary>A program run on the check states; it passes when every call returned a finite reward.</summary>
public sealed record CheckReport(IReadOnlyList<CheckedState> States)
{
    public bool Ok => States.All(s => s.Failure is null);
    public IEnumerable<ProgramFailure> Failures => States.Where(s => s.Failure is not null).Select(s => s.Failure!);

    /// <summary>The failures in words, each with its state: what a person reads and the LLM is asked to fix.</summary>
    public string Describe() => string.Join("\n", States.Where(s => s.Failure is not null).Select(s => $"on state '{s.Label}': {s.Failure!.Describe()}"));
}

/// <summary>Runs a compiled program on labelled states (see <see cref="CheckStates"/>).</summary>
public static class ProgramCheck
{
    public static CheckReport Run(CompiledProgram program, IReadOnlyList<LabelledState> states) =>
        new(states.Select(s =>
        {
            var result = program.Evaluate(s.State, s.Action);
            return new CheckedState(s.Label, result.Ok ? result.Value : null, s.TaskReward, result.Failure);
        }).ToList());
}
