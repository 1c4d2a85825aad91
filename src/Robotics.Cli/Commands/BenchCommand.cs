using System.CommandLine;

namespace Robotics.Cli.Commands;

/// <summary>`robo bench …`: speed measurements whose last line is a JSON object (figures go to docs/results.md).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "measure speed: physics, env, render, learner, reward");
        command.Subcommands.Add(PhysicsBenchmark.Create());
        command.Subcommands.Add(EnvBenchmark.Create());
        command.Subcommands.Add(RenderBenchmark.Create());
        command.Subcommands.Add(LearnerBenchmark.Create());
        command.Subcommands.Add(RewardBenchmark.Create());
        command.Subcommands.Add(ClipBenchmark.Create());
        return command;
    }
}
