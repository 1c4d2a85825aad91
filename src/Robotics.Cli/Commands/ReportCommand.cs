using System.CommandLine;
using Robotics.Cli.Reports;

namespace Robotics.Cli.Commands;

/// <summary>`robo report RUN_DIR [--out FILE]`: writes the run's report.html and prints {report, plots, videos} on its last line.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("run-dir") { Description = "experiment directory (seed-S/ folders) or a single run directory" };
        var output = new Option<FileInfo?>("--out") { Description = "HTML file to write (default: RUN_DIR/report.html)" };
        var command = new Command("report", "write an HTML report (learning curves, final metrics, videos, reward) of a run") { runDir, output };
        command.SetAction(parse =>
        {
            var result = ReportWriter.Write(parse.GetValue(runDir)!.FullName, parse.GetValue(output)?.FullName);
            PrintResult(result);
            return 0;
        });
        return command;
    }

    /// <summary>Partial seeds go to stderr as warnings (the report shows them too); the JSON line stays the last line of stdout.</summary>
    internal static void PrintResult(ReportResult result)
    {
        foreach (var warning in result.Warnings) Console.Error.WriteLine($"robo: warning: {warning}");
        JsonOutput.PrintLine(new { report = result.Report, plots = result.Plots, videos = result.Videos });
    }
}
