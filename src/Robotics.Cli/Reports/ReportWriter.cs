using System.Globalization;
using System.Text;

namespace Robotics.Cli.Reports;

/// <summary>What a written report holds: its path, how many plots and video elements, and what was partial or unreadable.</summary>
public sealed record ReportResult(string Report, int Plots, int Videos, IReadOnlyList<string> Warnings);

/// <summary>
/// Writes report.html: one self-contained HTML5 file (inline SVG plots and CSS, no script) for one experiment or run
/// directory, or for several runs overlaid (`robo compare`). Only the videos stay outside, linked relatively, so the
/// report keeps working when the run directory is copied or served as it is.
/// Sections: header (what ran), seeds (which are partial and why), learning curves, final metrics, videos,
/// reward, configuration.
/// </summary>
public static class ReportWriter
{
    public const string FileName = "report.html";

    /// <summary>The report of one experiment (or single run) directory; by default written into it as report.html.</summary>
    public static ReportResult Write(string runDirectory, string? outFile = null)
    {
        var run = ExperimentRun.Load(runDirectory);
        var path = Path.GetFullPath(outFile ?? Path.Combine(run.Directory, FileName));
        return Render([new LabelledRun(run.Name, run)], path, comparison: false);
    }

    /// <summary>One report overlaying several runs; <paramref name="labels"/> name them in legends and tables (default: run names).</summary>
    public static ReportResult Compare(IReadOnlyList<string> runDirectories, string outFile, IReadOnlyList<string>? labels = null)
    {
        if (runDirectories.Count == 0) throw new ArgumentException("compare needs at least one run directory");
        if (labels != null && labels.Count != runDirectories.Count)
            throw new ArgumentException($"{labels.Count} labels for {runDirectories.Count} runs; give one label per run");
        var runs = runDirectories.Select(ExperimentRun.Load).ToList();
        var names = labels ?? Unique(runs.Select(r => r.Name).ToList());
        return Render(runs.Select((r, i) => new LabelledRun(names[i], r)).ToList(), Path.GetFullPath(outFile), comparison: true);
    }

    private sealed record LabelledRun(string Label, ExperimentRun Run);

    private static ReportResult Render(IReadOnlyList<LabelledRun> runs, string outFile, bool comparison)
    {
        var outDir = Path.GetDirectoryName(outFile)!;
        Directory.CreateDirectory(outDir);
        var title = comparison ? "Comparison: " + string.Join(" vs ", runs.Select(r => r.Label)) : $"Run report: {runs[0].Label}";
        var warnings = runs.SelectMany(r => r.Run.Seeds.Where(s => s.IsPartial).Select(s => $"{r.Label} {s.Label}: partial ({s.PartialReason})")).ToList();

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append($"<title>{HtmlText.Escape(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        html.Append($"<header><h1>{HtmlText.Escape(title)}{(runs.Any(r => r.Run.IsPartial) ? " " + PartialMark : "")}</h1>\n");
        if (comparison) AppendRunsTable(html, runs);
        else AppendRunHeader(html, runs[0].Run);
        html.Append("</header>\n");

        AppendSeeds(html, runs, outDir);
        int plots = AppendCurves(html, runs);
        AppendFinalMetrics(html, runs, comparison);
        int videos = AppendVideos(html, runs, outDir);
        AppendReward(html, runs);
        AppendConfiguration(html, runs);
        html.Append($"<footer>Written by robo {(comparison ? "compare" : "report")} on {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.</footer>\n");
        html.Append("</body>\n</html>\n");

        // Written beside and then moved over the old report, so a browser reloading it never reads half a file.
        var temporary = outFile + ".tmp";
        File.WriteAllText(temporary, html.ToString(), new UTF8Encoding(false));
        File.Move(temporary, outFile, overwrite: true);
        return new ReportResult(outFile, plots, videos, warnings);
    }

    private const string PartialMark = "<span class=\"partial\" title=\"some seeds did not finish\">partial</span>";

    private static void AppendRunHeader(StringBuilder html, ExperimentRun run)
    {
        html.Append("<dl class=\"meta\">");
        Term(html, "task", run.Task);
        Term(html, "algorithm", run.Algorithm);
        Term(html, "commit", run.GitCommit);
        Term(html, "seeds", string.Join(", ", run.Seeds.Select(s => s.Seed?.ToString(CultureInfo.InvariantCulture) ?? "?")));
        if (run.Started != null) Term(html, "started", run.Started);
        Term(html, "directory", run.Directory);
        html.Append("</dl>\n");
    }

    private static void Term(StringBuilder html, string term, string? value) =>
        html.Append($"<dt>{HtmlText.Escape(term)}</dt><dd>{(value != null ? HtmlText.Escape(value) : "<span class=\"unknown\">unknown</span>")}</dd>");

    private static void AppendRunsTable(StringBuilder html, IReadOnlyList<LabelledRun> runs)
    {
        html.Append("<table class=\"runs\"><thead><tr><th>run</th><th>task</th><th>algorithm</th><th>commit</th><th>seeds</th><th>directory</th></tr></thead><tbody>\n");
        foreach (var (label, run) in runs)
            html.Append($"<tr><td>{HtmlText.Escape(label)}{(run.IsPartial ? " " + PartialMark : "")}</td><td>{HtmlText.Escape(run.Task ?? "?")}</td>")
                .Append($"<td>{HtmlText.Escape(run.Algorithm ?? "?")}</td><td><code>{HtmlText.Escape(run.GitCommit ?? "?")}</code></td>")
                .Append($"<td>{run.Seeds.Count}</td><td><code>{HtmlText.Escape(run.Directory)}</code></td></tr>\n");
        html.Append("</tbody></table>\n");
    }

    /// <summary>Each seed's state, so a partial seed is visible (and why) before anyone reads its curves.</summary>
    private static void AppendSeeds(StringBuilder html, IReadOnlyList<LabelledRun> runs, string outDir)
    {
        html.Append("<section id=\"seeds\"><h2>Seeds</h2>\n<table><thead><tr><th>run</th><th>seed</th><th>status</th><th>last step</th><th>directory</th></tr></thead><tbody>\n");
        foreach (var (label, run) in runs)
            foreach (var seed in run.Seeds)
            {
                var status = seed.IsPartial ? $"{PartialMark} {HtmlText.Escape(seed.PartialReason)}" : "complete";
                var lastStep = seed.Summary?.Steps ?? (seed.Metrics.Metrics.Count > 0 ? seed.Metrics.LastStep : null);
                html.Append($"<tr><td>{HtmlText.Escape(label)}</td><td>{HtmlText.Escape(seed.Label)}</td><td>{status}</td>")
                    .Append($"<td>{(lastStep is long n ? NumberText.Steps(n) : "—")}</td>")
                    .Append($"<td><code>{HtmlText.Escape(Path.GetRelativePath(outDir, seed.Directory))}</code></td></tr>\n");
            }
        html.Append("</tbody></table></section>\n");
    }

    private static int AppendCurves(StringBuilder html, IReadOnlyList<LabelledRun> runs)
    {
        var specs = LearningCurves.Select(runs.Select(r => r.Run));
        html.Append("<section id=\"curves\"><h2>Learning curves</h2>\n");
        if (specs.Count == 0)
        {
            html.Append("<p>No learning curves: no run logged any of the plotted metrics yet.</p></section>\n");
            return 0;
        }
        html.Append($"<p class=\"note\">Lines are the mean over seeds, shaded bands ±1 standard deviation (n−1). Episodic metrics, logged whenever an episode ends, are averaged in step bins (at most about {SeedCurve.Bins}, with at least {SeedCurve.MinPointsPerBin} episodes of each seed in a bin on average) when seeds do not share steps; training curves are smoothed with a centred moving average over {LearningCurves.TrainingSmoothing} points, evaluations are not.</p>\n");
        foreach (var section in specs.GroupBy(s => s.Section))
        {
            html.Append($"<h3>{HtmlText.Escape(section.Key)}</h3>\n<div class=\"plots\">\n");
            foreach (var spec in section)
            {
                var plot = new SvgPlot { Title = spec.Metric, YLabel = spec.Metric[(spec.Metric.IndexOf('/') + 1)..], Smoothing = spec.Smoothing, YInclude = spec.YInclude };
                foreach (var (label, run) in runs) plot.Add(label, run.Seeds.Select(s => s.Metrics[spec.Metric]).ToList());
                html.Append($"<figure id=\"plot-{HtmlText.Escape(spec.Metric.Replace('/', '-'))}\">").Append(plot.ToSvg()).Append("</figure>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
        return specs.Count;
    }

    private static void AppendFinalMetrics(StringBuilder html, IReadOnlyList<LabelledRun> runs, bool comparison)
    {
        var tables = runs.Select(r => FinalMetrics.Of(r.Run)).ToList();
        // Rows are matched by name: eval metrics one run logged and another did not still get a row, blank where absent.
        var names = tables.SelectMany(t => t.Select(m => m.Name)).Distinct().ToList();
        html.Append("<section id=\"final\"><h2>Final metrics</h2>\n<table class=\"final\"><thead><tr><th>metric</th>");
        if (comparison)
            foreach (var (label, _) in runs) html.Append($"<th>{HtmlText.Escape(label)}<br/>mean ± std</th><th>n</th>");
        else
        {
            html.Append("<th>mean ± std</th><th>n</th>");
            foreach (var seed in runs[0].Run.Seeds) html.Append($"<th>{HtmlText.Escape(seed.Label)}</th>");
        }
        html.Append("</tr></thead><tbody>\n");
        foreach (var name in names)
        {
            var rows = tables.Select(t => t.FirstOrDefault(m => m.Name == name)).ToList();
            var source = rows.First(r => r != null)!.Source;
            html.Append($"<tr><th scope=\"row\" title=\"{HtmlText.Escape(source)}\">{HtmlText.Escape(name)}</th>");
            foreach (var row in rows)
            {
                var stats = row?.Statistics;
                html.Append($"<td class=\"num\">{(stats != null ? HtmlText.Escape(stats.Text) : "—")}</td><td class=\"num\">{stats?.N ?? 0}</td>");
            }
            if (!comparison)
                foreach (var value in rows[0]!.PerSeed)
                    html.Append($"<td class=\"num\">{(value is double v ? HtmlText.Escape(NumberText.Value(v)) : "—")}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table>\n<p class=\"note\">std is the sample standard deviation over seeds (n−1); n counts the seeds that have the value. Hover a metric for where it comes from.</p></section>\n");
    }

    private static int AppendVideos(StringBuilder html, IReadOnlyList<LabelledRun> runs, string outDir)
    {
        html.Append("<section id=\"videos\"><h2>Videos</h2>\n");
        int count = 0;
        var any = runs.Any(r => r.Run.Seeds.Any(s => s.Videos.Count > 0 || s.Gifs.Count > 0));
        if (!any) html.Append("<p>No videos were recorded (videos/*.mp4 is written by the final evaluation unless --no-video).</p>\n");
        else html.Append("<div class=\"videos\">\n");
        foreach (var (label, run) in runs)
            foreach (var seed in run.Seeds)
            {
                foreach (var video in seed.Videos)
                {
                    var src = HtmlText.Escape(RelativeUrl(outDir, video));
                    html.Append($"<figure><video controls=\"controls\" preload=\"metadata\" width=\"400\" src=\"{src}\">")
                        .Append($"<a href=\"{src}\">{HtmlText.Escape(Path.GetFileName(video))}</a></video>");
                    html.Append($"<figcaption>{Caption(label, seed, video)}</figcaption></figure>\n");
                    count++;
                }
                foreach (var gif in seed.Gifs)
                    html.Append($"<figure><img src=\"{HtmlText.Escape(RelativeUrl(outDir, gif))}\" width=\"400\" alt=\"{HtmlText.Escape(label + " " + seed.Label)}\"/>")
                        .Append($"<figcaption>{Caption(label, seed, gif)}</figcaption></figure>\n");
            }
        if (any) html.Append("</div>\n");
        html.Append("</section>\n");
        return count;
    }

    private static string Caption(string label, SeedRun seed, string file) =>
        $"{HtmlText.Escape(label)} · {HtmlText.Escape(seed.Label)} · {HtmlText.Escape(Path.GetFileName(file))}{(seed.IsPartial ? " " + PartialMark : "")}";

    private static void AppendReward(StringBuilder html, IReadOnlyList<LabelledRun> runs)
    {
        html.Append("<section id=\"reward\"><h2>Reward</h2>\n");
        foreach (var (label, run) in runs)
        {
            var reward = run.Reward;
            if (runs.Count > 1) html.Append($"<h3>{HtmlText.Escape(label)}</h3>\n");
            html.Append($"<p>{HtmlText.Escape(reward.Text)} <span class=\"source\">(from {HtmlText.Escape(reward.Source)})</span></p>\n");
            if (reward.Code != null) html.Append($"<pre><code>{HtmlText.Escape(reward.Code)}</code></pre>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendConfiguration(StringBuilder html, IReadOnlyList<LabelledRun> runs)
    {
        if (!runs.Any(r => r.Run.ExperimentFile != null || r.Run.ConfigJson != null)) return;
        html.Append("<section id=\"configuration\"><h2>Configuration</h2>\n");
        foreach (var (label, run) in runs)
        {
            var prefix = runs.Count > 1 ? label + ": " : "";
            if (run.ExperimentFile != null)
                html.Append($"<details><summary>{HtmlText.Escape(prefix)}experiment.yaml</summary><pre>{HtmlText.Escape(run.ExperimentFile)}</pre></details>\n");
            if (run.ConfigJson != null)
                html.Append($"<details><summary>{HtmlText.Escape(prefix)}config.json (request and hyperparameters)</summary><pre>{HtmlText.Escape(run.ConfigJson)}</pre></details>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>
    /// A link from the report's folder to a file, with '/' separators and each segment percent-encoded, so the
    /// report and the run directory can move together. Files on another volume get an absolute file: URL.
    /// </summary>
    public static string RelativeUrl(string fromDirectory, string file)
    {
        var relative = Path.GetRelativePath(fromDirectory, file);
        if (Path.IsPathRooted(relative)) return new Uri(Path.GetFullPath(file)).AbsoluteUri;
        return string.Join('/', relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString));
    }

    /// <summary>Run names made distinct ("sac", "sac (2)"), since legends tell runs apart by name.</summary>
    private static List<string> Unique(List<string> names)
    {
        var seen = new Dictionary<string, int>();
        var unique = new List<string>();
        foreach (var name in names)
        {
            int k = seen[name] = seen.GetValueOrDefault(name) + 1;
            unique.Add(k == 1 ? name : $"{name} ({k})");
        }
        return unique;
    }

    // No '<' anywhere in the stylesheet, so the page also parses as XML (tests check it that way).
    private const string Style = """

        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1.5em; color: #222; }
        h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
        dl.meta { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
        dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; font-family: ui-monospace, monospace; }
        table { border-collapse: collapse; margin: .5em 0; }
        th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
        thead th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .partial { background: #fff3cd; color: #7a5a00; border: 1px solid #e0c060; border-radius: 3px; padding: 0 .35em; font-size: .8em; font-weight: 600; text-transform: uppercase; }
        .unknown { color: #999; } .note, .source { color: #666; font-size: .9em; }
        .plots, .videos { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0; } figcaption { font-size: .85em; color: #555; }
        svg.plot { border: 1px solid #eee; max-width: 100%; height: auto; }
        pre { background: #f7f7f7; border: 1px solid #e5e5e5; padding: .8em; overflow-x: auto; font-size: .85em; }
        footer { margin-top: 3em; color: #888; font-size: .85em; }

        """;
}
