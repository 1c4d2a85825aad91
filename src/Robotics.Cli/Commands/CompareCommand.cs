using System.CommandLine;
using Robotics.Cli.Reports;

namespace Robotics.Cli.Commands;

/// <summary>`robo compare RUN1 RUN2 … [--out FILE] [--labels a,b,…]`: one report with the runs' curves overlaid.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runDirs = new Argument<DirectoryInfo[]>("run-dirs") { Description = "run or experiment directories to compare", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--out") { Description = "HTML file to write (default: ./compare.html)" };
        var labels = new Option<string?>("--labels") { Description = "comma-separated names for the runs, in order (default: the run names)" };
        var command = new Command("compare", "write one HTML report overlaying the learning curves of several runs") { runDirs, output, labels };
        command.SetAction(parse =>
        {
            var dirs = parse.GetValue(runDirs)!.Select(d => d.FullName).ToList();
            var names = parse.GetValue(labels)?.Split(',', StringSplitOptions.TrimEntries);
            var result = ReportWriter.Compare(dirs, parse.GetValue(output)?.FullName ?? Path.GetFullPath("compare.html"), names);
            ReportCommand.PrintResult(result);
            return 0;
        });
        return command;
    }
}
