using System.CommandLine;
using Robotics.Cli.Experiments;
using Robotics.Cli.Reports;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo run FILE.yaml`: trains (or rolls out) what the experiment file says, for each of its seeds, into
/// runs/{name}__{unixtime}/; --steps and --out override the file; --resume RUN_DIR continues an interrupted run.
/// The last line is a JSON summary.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("experiment") { Description = "experiment file (YAML), e.g. experiments/demo.yaml", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/{name}__{time})" };
        var steps = new Option<long?>("--steps") { Description = "override the file's steps" };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "continue the interrupted run in this directory" };
        var command = new Command("run", "run an experiment file: train, evaluate, render, report") { file, output, steps, resume };
        command.SetAction(parse =>
        {
            var resumeDir = parse.GetValue(resume)?.FullName;
            string path;
            if (resumeDir is not null)
            {
                path = Path.Combine(resumeDir, "experiment.yaml");
                if (!File.Exists(path)) throw new DirectoryNotFoundException($"'{resumeDir}' is not a run directory (it has no experiment.yaml)");
            }
            else path = parse.GetValue(file)?.FullName ?? throw new ArgumentException("give an experiment file (e.g. experiments/demo.yaml) or --resume RUN_DIR");

            var experiment = Experiment.Load(path);
            if (parse.GetValue(steps) is long s) experiment.Steps = s > 0 ? s : throw new ArgumentException($"--steps must be positive, got {s}");
            var runDir = resumeDir ?? parse.GetValue(output)?.FullName ?? experiment.Out
                         ?? Path.Combine("runs", $"{experiment.Name}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
            var (dir, seeds, interrupted) = ExperimentRunner.Run(experiment, path, runDir, resume: resumeDir is not null);
            // The report is written also after Ctrl-C: a partial report marks the unfinished seeds.
            var report = ReportWriter.Write(dir);
            foreach (var warning in report.Warnings) Console.Error.WriteLine($"robo: warning: {warning}");
            var evaluated = seeds.Where(r => r.Summary.FinalEvaluation is not null).ToList();
            JsonOutput.PrintLine(new
            {
                run_dir = Path.GetFullPath(dir),
                name = experiment.Name,
                task = experiment.Task,
                algorithm = experiment.Algorithm,
                seeds = seeds.Select(r => r.Seed).ToArray(),
                success_rate = evaluated.Count == 0 ? (double?)null : evaluated.Average(r => r.Summary.FinalEvaluation!.SuccessRate),
                mean_return = evaluated.Count == 0 ? (double?)null : evaluated.Average(r => r.Summary.FinalEvaluation!.MeanReturn),
                seconds = Math.Round(seeds.Sum(r => r.Summary.Seconds), 1),
                report = report.Report,
                videos = seeds.Select(r => r.Summary.Video).Where(v => v is not null).ToArray(),
                interrupted,
            });
            return interrupted ? 130 : 0;
        });
        return command;
    }
}
