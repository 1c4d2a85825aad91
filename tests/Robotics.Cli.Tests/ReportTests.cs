using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using NUnit.Framework;
using Robotics.Cli.Reports;
using Robotics.Core.Images;
using static Robotics.Cli.Tests.ReportFixtures;

namespace Robotics.Cli.Tests;

public class ReportMetricsTableTests
{
    private const string Header = "step,wall_time,metric,value\n";

    [Test]
    public void TidyRowsBecomeOneSeriesPerMetricInStepOrder()
    {
        var table = MetricsTable.Parse(Header +
            "500,1.0,charts/episodic_return,640.5\n" +
            "1000,2.0,losses/qf1_loss,0.04\n" +
            "1000,2.0,charts/episodic_return,608.9\n" +
            "2000,3.0,losses/qf1_loss,NaN\n", "m.csv");
        Assert.That(table.Metrics, Is.EqualTo(new[] { "charts/episodic_return", "losses/qf1_loss" }));
        Assert.That(table["charts/episodic_return"].Steps, Is.EqualTo(new long[] { 500, 1000 }));
        Assert.That(table["charts/episodic_return"].Values, Is.EqualTo(new[] { 640.5, 608.9 }));
        Assert.That(double.IsNaN(table["losses/qf1_loss"].Values[1]), "a diverged loss is kept as logged; plots skip it");
        Assert.That(table["eval/success_rate"].Count, Is.Zero, "a metric never logged is an empty series");
        Assert.That(table.LastStep, Is.EqualTo(2000));
        Assert.That(table.DroppedTruncatedLine, Is.False);
    }

    [Test]
    public void LastLineCutShortByAKilledRunIsLeftOut()
    {
        // "64" would parse, but it is what is left of "640.27…": a row without its newline is never trusted.
        var dir = TempDirectory("truncated");
        var path = Path.Combine(dir, "metrics.csv");
        File.WriteAllText(path, Header + "500,1.0,charts/episodic_return,610.5\n1000,2.0,charts/episodic_return,64");
        var table = MetricsTable.Load(path);
        Assert.That(table["charts/episodic_return"].Steps, Is.EqualTo(new long[] { 500 }));
        Assert.That(table.DroppedTruncatedLine, Is.True);

        File.WriteAllText(path, Header + "500,1.0,charts/episodic_return,610.5\n1000,2.0,charts/epi");
        Assert.That(MetricsTable.Load(path)["charts/episodic_return"].Count, Is.EqualTo(1), "a cut inside the metric name is dropped too");
        File.WriteAllText(path, "step,wall_ti");
        Assert.That(MetricsTable.Load(path).Metrics, Is.Empty, "a header cut short is an empty table, not an error");
    }

    [Test]
    public void SameStepLoggedTwiceKeepsTheLaterValue()
    {
        var table = MetricsTable.Parse(Header +
            "1000,1.0,losses/alpha,0.9\n" +
            "2000,2.0,losses/alpha,0.8\n" +
            "2000,3.0,losses/alpha,0.75\n", "m.csv");
        Assert.That(table["losses/alpha"].Steps, Is.EqualTo(new long[] { 1000, 2000 }));
        Assert.That(table["losses/alpha"].Values, Is.EqualTo(new[] { 0.9, 0.75 }));
    }

    [Test]
    public void ResumedRunReplacesEverythingTheKilledRunLoggedPastTheCheckpoint()
    {
        // Killed at 3000 after a checkpoint at 2000; the resumed run logs again from 2000. The killed run's episode
        // at 2500 is gone with it, though no resumed row has step 2500.
        var table = MetricsTable.Parse(Header +
            "1000,1.0,losses/qf1_loss,0.5\n" +
            "2000,2.0,losses/qf1_loss,0.4\n" +
            "2500,2.5,charts/episodic_return,700\n" +
            "3000,3.0,losses/qf1_loss,0.3\n" +
            "2000,9.0,losses/qf1_loss,0.41\n" +
            "2700,9.5,charts/episodic_return,710\n" +
            "3000,10.0,losses/qf1_loss,0.31\n", "m.csv");
        Assert.That(table.Resumes, Is.EqualTo(1));
        Assert.That(table["losses/qf1_loss"].Steps, Is.EqualTo(new long[] { 1000, 2000, 3000 }));
        Assert.That(table["losses/qf1_loss"].Values, Is.EqualTo(new[] { 0.5, 0.41, 0.31 }));
        Assert.That(table["charts/episodic_return"].Steps, Is.EqualTo(new long[] { 2700 }));
    }

    [TestCase("500,1.0,charts/x,1\n1000,2.0,charts/x,oops\n", 3, "oops")]
    [TestCase("500,1.0,charts/x,1\nfive,2.0,charts/x,1\n", 3, "five")]
    [TestCase("500,1.0,charts/x,1\n600,1.0,charts/x\n", 3, "4 fields")]
    [TestCase("500,1.0,charts/x,1\n\n700,1.0,charts/x,1\n800,1.0,,1\n", 5, "metric name is empty")]
    public void MalformedLineIsAnErrorNamingFileAndLine(string body, int line, string detail)
    {
        var path = Path.Combine(TempDirectory("malformed"), "metrics.csv");
        File.WriteAllText(path, Header + body);
        var e = Assert.Throws<InvalidDataException>(() => MetricsTable.Load(path))!;
        Assert.That(e.Message, Does.Contain(path));
        Assert.That(e.Message, Does.Contain($"line {line}:"));
        Assert.That(e.Message, Does.Contain(detail));
    }

    [Test]
    public void WrongHeaderIsAnErrorOnLineOne()
    {
        var e = Assert.Throws<InvalidDataException>(() => MetricsTable.Parse("step,value\n1,2\n", "runs/x/metrics.csv"))!;
        Assert.That(e.Message, Does.StartWith("runs/x/metrics.csv, line 1:"));
    }
}

public class ReportPlotTests
{
    [Test]
    public void TicksAreOneTwoOrFiveTimesAPowerOfTenAndCoverTheRange()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            // Spans from 1e-6 to 1e9, offset from zero by up to a thousand spans.
            double span = (0.01 + rng.NextDouble()) * Math.Pow(10, rng.Next(-6, 10));
            double a = (rng.NextDouble() - 0.5) * span * Math.Pow(10, rng.Next(0, 4)), b = a + span;
            var scale = AxisScale.Nice(a, b, 6);
            double mantissa = scale.Step / Math.Pow(10, Math.Floor(Math.Log10(scale.Step)));
            Assert.That(new[] { 1.0, 2.0, 5.0 }.Any(m => Math.Abs(mantissa - m) < 1e-9), $"step {scale.Step} for [{a}, {b}]");
            var ticks = scale.Ticks;
            Assert.That(ticks[0], Is.LessThanOrEqualTo(a));
            Assert.That(ticks[^1], Is.GreaterThanOrEqualTo(b));
            Assert.That(ticks.Count, Is.InRange(2, 12), $"[{a}, {b}]");
            foreach (var t in ticks)
                Assert.That(Math.Abs(t / scale.Step - Math.Round(t / scale.Step)), Is.LessThan(1e-6), $"tick {t} is not a multiple of {scale.Step}");
        }
        Assert.That(AxisScale.Nice(0, 10_000).Ticks, Is.EqualTo(new[] { 0.0, 2000, 4000, 6000, 8000, 10000 }));
        Assert.That(AxisScale.Nice(0, 1, 5).Ticks, Is.EqualTo(new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }).Within(1e-12));
    }

    [Test]
    public void ZeroWidthRangeGetsANonZeroAxis()
    {
        foreach (var v in new[] { 0.0, 5.0, -3e-7, 1e300 })
        {
            var scale = AxisScale.Nice(v, v);
            Assert.That(scale.Max, Is.GreaterThan(scale.Min));
            Assert.That(scale.Min, Is.LessThanOrEqualTo(v));
            Assert.That(scale.Max, Is.GreaterThanOrEqualTo(v));
        }
    }

    [TestCase(0, "0")]
    [TestCase(500, "500")]
    [TestCase(10_000, "10k")]
    [TestCase(12_500, "12.5k")]
    [TestCase(1_500_000, "1.5M")]
    [TestCase(2_000_000_000, "2G")]
    public void StepsReadWithSiSuffixes(double steps, string text) => Assert.That(NumberText.Steps(steps), Is.EqualTo(text));

    [Test]
    public void TickLabelsCarryJustEnoughDecimals()
    {
        Assert.That(NumberText.Tick(0.30000000000000004, 0.1), Is.EqualTo("0.3"));
        Assert.That(NumberText.Tick(0.05, 0.05), Is.EqualTo("0.05"));
        Assert.That(NumberText.Tick(-0.0, 0.5), Is.EqualTo("0.0"));
        Assert.That(NumberText.Tick(640, 20), Is.EqualTo("640"));
    }

    /// <summary>Inputs that break naive plotting code: nothing, one point, a constant, NaN and ∞, extremes, markup in labels.</summary>
    private static IEnumerable<TestCaseData> TrickySeries()
    {
        MetricSeries S(long[] steps, double[] values) => new(steps, values);
        yield return new TestCaseData((object)Array.Empty<MetricSeries[]>()).SetName("NoSeriesAtAll");
        yield return new TestCaseData((object)new[] { new[] { MetricSeries.Empty } }).SetName("EmptySeries");
        yield return new TestCaseData((object)new[] { new[] { S([1000], [0.5]) } }).SetName("SinglePoint");
        yield return new TestCaseData((object)new[] { new[] { S([0], [0]) } }).SetName("SinglePointAtOrigin");
        yield return new TestCaseData((object)new[] { new[] { S([1, 2, 3], [7, 7, 7]) } }).SetName("Constant");
        yield return new TestCaseData((object)new[] { new[] { S([1, 2, 3, 4], [double.NaN, 1, double.PositiveInfinity, 2]) } }).SetName("NaNAndInfinity");
        yield return new TestCaseData((object)new[] { new[] { S([1, 2], [double.NaN, double.NegativeInfinity]) } }).SetName("NothingFinite");
        yield return new TestCaseData((object)new[] { new[] { S([1, 2, 3], [1e308, -1e308, 1e308]), S([1, 2, 3], [-1e308, 1e308, 1e308]) } }).SetName("Extremes");
        yield return new TestCaseData((object)new[] { new[] { S([5], [1]), S([5], [1]) }, new[] { S([5, 6], [1, 1]) } }).SetName("ConstantAcrossSeeds");
        yield return new TestCaseData((object)new[] { new[] { S([1, 2], [1e-12, 1.0000000001e-12]) } }).SetName("TinySpread");
    }

    [TestCaseSource(nameof(TrickySeries))]
    public void PlotIsWellFormedSvgWithOnlyFiniteCoordinates(MetricSeries[][] series)
    {
        var plot = new SvgPlot { Title = "losses/<q> & \"co\"", YLabel = "q'", Smoothing = 5 };
        for (int i = 0; i < series.Length; i++) plot.Add($"run {i} <b>", series[i]);
        var svg = plot.ToSvg();
        Assert.That(svg, Does.Not.Contain("NaN"));
        Assert.That(svg, Does.Not.Contain("Infinity"));
        Assert.That(svg, Does.Not.Contain("∞"));
        var doc = ParseSvg(svg);
        AssertFiniteGeometry(doc);
        Assert.That(doc.DocumentElement!.SelectNodes("//*[local-name()='title']")![0]!.InnerText, Is.EqualTo("losses/<q> & \"co\""));
    }

    [Test]
    public void SeveralSeedsDrawAMeanLineInsideAStdBand()
    {
        long[] steps = [1000, 2000, 3000, 4000];
        var plot = new SvgPlot { Title = "eval/episodic_return" }
            .Add("sac", new MetricSeries(steps, [100, 200, 300, 400]), new MetricSeries(steps, [300, 400, 500, 600]));
        var doc = ParseSvg(plot.ToSvg());
        var mean = Points(doc, "mean");
        Assert.That(mean, Has.Count.EqualTo(4), "seeds logged at the same steps are aligned point by point");
        var band = doc.SelectSingleNode("//*[local-name()='path'][@class='band']");
        Assert.That(band, Is.Not.Null);
        var bandYs = Regex.Matches(band!.Attributes!["d"]!.Value, @"[ML](-?[\d.]+) (-?[\d.]+)").Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        for (int i = 0; i < 4; i++)
        {
            // Upper edge forward, lower edge backward; the mean sits halfway (a symmetric band). SVG y grows downwards.
            double upper = bandYs[i], lower = bandYs[7 - i];
            Assert.That(upper, Is.LessThan(mean[i].Y));
            Assert.That(lower, Is.GreaterThan(mean[i].Y));
            Assert.That((upper + lower) / 2, Is.EqualTo(mean[i].Y).Within(0.02));
        }
        Assert.That(doc.OuterXml, Does.Contain("sac (n=2)"));
    }

    [Test]
    public void SeedsMeanAndSampleStdAreExact()
    {
        long[] steps = [10, 20];
        var curve = SeedCurve.Aggregate([new MetricSeries(steps, [1, 5]), new MetricSeries(steps, [3, 5])]);
        Assert.That(curve.X, Is.EqualTo(new[] { 10.0, 20.0 }));
        Assert.That(curve.Mean, Is.EqualTo(new[] { 2.0, 5.0 }));
        Assert.That(curve.Std[0], Is.EqualTo(Math.Sqrt(2)).Within(1e-12), "sample std (n−1) of 1 and 3");
        Assert.That(curve.Std[1], Is.Zero);
        Assert.That(curve.N, Is.EqualTo(new[] { 2, 2 }));
    }

    [Test]
    public void PartialSeedEndsTheBandButNotTheLine()
    {
        var curve = SeedCurve.Aggregate([new MetricSeries([1000, 2000, 3000], [1, 2, 3]), new MetricSeries([1000, 2000], [3, 4])]);
        Assert.That(curve.X, Is.EqualTo(new[] { 1000.0, 2000, 3000 }));
        Assert.That(curve.N, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(curve.Mean[2], Is.EqualTo(3));
    }

    [Test]
    public void EpisodicSeedsAtDifferentStepsAreBinned()
    {
        var seeds = Enumerable.Range(0, 3).Select(seed =>
        {
            var rows = TrainingRows(seed, 100_000, 0.8).Where(r => r.Metric == "charts/episodic_return").ToList();
            return new MetricSeries(rows.Select(r => r.Step).ToArray(), rows.Select(r => r.Value).ToArray());
        }).ToList();
        Assert.That(seeds[0].Steps.Intersect(seeds[1].Steps).Count(), Is.LessThan(seeds[0].Count / 2), "the fixture's episodes end at different steps");
        var curve = SeedCurve.Aggregate(seeds);
        int episodes = seeds.Min(s => s.Count);
        Assert.That(episodes / SeedCurve.MinPointsPerBin, Is.InRange(50, SeedCurve.Bins), "the fixture has ~220 episodes a seed");
        Assert.That(curve.Count, Is.EqualTo(episodes / SeedCurve.MinPointsPerBin), "3 episodes a seed per bin, no bin empty");
        Assert.That(curve.N.Count(n => n >= 2), Is.GreaterThan(curve.Count * 9 / 10), "most bins hold several seeds");
        Assert.That(curve.Mean[^1], Is.GreaterThan(curve.Mean[0] + 200), "the binned mean keeps the upward trend (600 → 900)");
        Assert.That(curve.X, Is.Ordered.Ascending);
        Assert.That(curve.X[0], Is.GreaterThanOrEqualTo(seeds.Min(s => s.Steps[0])), "a bin sits at its points' mean step, inside the data");
        Assert.That(curve.X[^1], Is.LessThanOrEqualTo(seeds.Max(s => s.Steps[^1])));
    }

    [Test]
    public void FewEpisodesMakeFewerWiderBins()
    {
        // 10k steps, an episode every ~400: ~25 episodes a seed. 100 bins would hold one episode of one seed each.
        var seeds = Enumerable.Range(0, 2).Select(seed =>
        {
            var rows = TrainingRows(seed, 10_000, 0.8).Where(r => r.Metric == "charts/episodic_return").ToList();
            return new MetricSeries(rows.Select(r => r.Step).ToArray(), rows.Select(r => r.Value).ToArray());
        }).ToList();
        var curve = SeedCurve.Aggregate(seeds);
        Assert.That(curve.Count, Is.InRange(3, seeds.Min(s => s.Count) / SeedCurve.MinPointsPerBin + 1));
        Assert.That(curve.N, Has.All.EqualTo(2), "every bin holds both seeds, so every point has a spread");
    }

    [Test]
    public void SmoothingFlattensNoiseAndKeepsTheEnds()
    {
        var rng = new Random(3);
        long[] steps = Enumerable.Range(1, 200).Select(i => (long)i * 100).ToArray();
        double[] noisy = steps.Select(s => s / 100.0 + (rng.NextDouble() - 0.5) * 20).ToArray();
        var raw = SeedCurve.Aggregate([new MetricSeries(steps, noisy)]);
        var smooth = SeedCurve.Smooth(raw, 9);
        double Roughness(Curve c) => Enumerable.Range(1, c.Count - 1).Sum(i => Math.Abs(c.Mean[i] - c.Mean[i - 1]));
        Assert.That(Roughness(smooth), Is.LessThan(Roughness(raw) / 3));
        Assert.That(smooth.X, Is.EqualTo(raw.X));
        Assert.That(SeedCurve.Smooth(SeedCurve.Aggregate([new MetricSeries([1, 2, 3, 4], [1, 9, 1, 9])]), 9).Mean,
            Is.EqualTo(new double[] { 1, 9, 1, 9 }), "a short curve is not smoothed flat");
    }

    [Test]
    public void RatesKeepTheirZeroToOneAxis()
    {
        var svg = new SvgPlot { Title = "charts/success", YInclude = (0, 1) }.Add("sac", new MetricSeries([1, 2, 3], [0, 0, 0])).ToSvg();
        var labels = ParseSvg(svg).SelectNodes("//*[local-name()='text'][@class='tick']")!.Cast<XmlNode>().Select(n => n.InnerText).ToList();
        Assert.That(labels, Does.Contain("0.0").And.Contain("1.0"));
        Assert.That(labels, Has.None.StartsWith("-"));
    }

    internal static XmlDocument ParseSvg(string svg)
    {
        var doc = new XmlDocument();
        doc.LoadXml(svg); // throws on anything not well-formed
        Assert.That(doc.DocumentElement!.LocalName, Is.EqualTo("svg"));
        Assert.That(doc.DocumentElement.NamespaceURI, Is.EqualTo("http://www.w3.org/2000/svg"));
        return doc;
    }

    /// <summary>Every number in every geometry attribute parses and is finite.</summary>
    internal static void AssertFiniteGeometry(XmlNode root)
    {
        string[] numeric = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"];
        foreach (XmlElement e in root.SelectNodes("//*")!)
            foreach (XmlAttribute a in e.Attributes)
            {
                IEnumerable<string> numbers = numeric.Contains(a.Name) ? [a.Value]
                    : a.Name is "points" or "d" or "viewBox" ? Regex.Matches(a.Value, @"[-+0-9.eE]+").Select(m => m.Value)
                    : [];
                foreach (var n in numbers)
                    Assert.That(double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v),
                        $"<{e.Name} {a.Name}=\"{a.Value}\"> has a bad number '{n}'");
            }
    }

    internal static List<(double X, double Y)> Points(XmlNode doc, string cssClass) =>
        doc.SelectSingleNode($".//*[local-name()='polyline'][@class='{cssClass}']")!.Attributes!["points"]!.Value
            .Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
}

public class ReportWriterTests
{
    /// <summary>The plots a run with the fixture's metrics gets: 2 evaluation, 2 training, 3 losses, 1 reward component.</summary>
    private static readonly string[] PlottedMetrics =
        ["eval/success_rate", "eval/episodic_return", "charts/episodic_return", "charts/success", "losses/actor_loss", "losses/alpha", "losses/qf1_loss", "reward/reach"];

    [Test]
    public void TwoSeedExperimentReportHasPlotsTableVideosAndReward()
    {
        var exp = TwoSeedExperiment(TempDirectory("two-seeds"));
        var result = ReportWriter.Write(exp);

        Assert.That(result.Report, Is.EqualTo(Path.Combine(exp, "report.html")));
        Assert.That(result.Plots, Is.EqualTo(PlottedMetrics.Length));
        Assert.That(result.Videos, Is.EqualTo(2));
        Assert.That(result.Warnings, Is.Empty);
        var html = File.ReadAllText(result.Report);
        var doc = ParseHtml(html);

        var svgs = doc.SelectNodes("//*[local-name()='svg']")!;
        Assert.That(svgs.Count, Is.EqualTo(PlottedMetrics.Length));
        foreach (var metric in PlottedMetrics)
            Assert.That(doc.SelectSingleNode($"//*[local-name()='svg']/*[local-name()='title'][.='{metric}']"), Is.Not.Null, metric);
        foreach (XmlNode svg in svgs)
        {
            ReportPlotTests.AssertFiniteGeometry(svg);
            Assert.That(svg.SelectNodes(".//*[local-name()='polyline'][@class='mean']")!.Count, Is.EqualTo(1));
        }
        Assert.That(doc.SelectNodes("//*[local-name()='path'][@class='band']")!.Count, Is.EqualTo(PlottedMetrics.Length), "two seeds that differ: a std band in every plot");
        Assert.That(html, Does.Not.Contain("NaN"));

        // Final metrics: success 0.6 and 0.8 → 0.7 ± 0.1414 (sample std), n = 2; returns 800 and 820 → 810 ± 14.14.
        var successRow = Row(doc, "success rate");
        Assert.That(successRow, Is.EqualTo(new[] { "success rate", "0.7 ± 0.1414", "2", "0.6", "0.8" }));
        Assert.That(Row(doc, "mean return")[1], Is.EqualTo("810 ± 14.14"));
        Assert.That(Row(doc, "eval/success_rate (last)")[1], Is.EqualTo("0.7 ± 0.1414"));
        Assert.That(Row(doc, "steps")[1], Is.EqualTo("10000 ± 0"));

        var videos = doc.SelectNodes("//*[local-name()='video']")!.Cast<XmlElement>().ToList();
        Assert.That(videos.Select(v => v.GetAttribute("src")), Is.EqualTo(new[] { "seed-0/videos/final.mp4", "seed-1/videos/final.mp4" }));
        Assert.That(videos.All(v => v.HasAttribute("controls")));
        Assert.That(doc.SelectSingleNode("//*[local-name()='img'][@src='seed-1/videos/final.gif']"), Is.Not.Null);

        Assert.That(html, Does.Contain("17630d7abc"));
        Assert.That(html, Does.Contain("hand-written dense reward of the task &#39;reach&#39;"));
        Assert.That(html, Does.Contain("name: reach-sac"), "the experiment file is shown");
        Assert.That(html, Does.Not.Contain("class=\"partial\""));
    }

    [Test]
    public void PartialSeedsAreMarkedNotFatal()
    {
        var exp = TwoSeedExperiment(TempDirectory("partial"));
        // seed-2: killed mid-write (no summary, last metrics row cut short); seed-3: stopped with Ctrl-C;
        // seed-4: planned in run.json but not started.
        var seed2 = WriteRun(Path.Combine(exp, "seed-2"), 2, 6000, 0.5, 700, summary: false, video: false);
        File.AppendAllText(Path.Combine(seed2, "metrics.csv"), "6100,1.0,losses/qf1_lo");
        WriteRun(Path.Combine(exp, "seed-3"), 3, 4000, 0.1, 650, interrupted: true, video: false);
        File.WriteAllText(Path.Combine(exp, "run.json"), """{"name": "reach-sac", "task": "reach", "algorithm": "sac", "git_commit": "abc", "seeds": [0, 1, 2, 3, 4]}""");

        var result = ReportWriter.Write(exp, Path.Combine(exp, "out", "r.html"));
        Assert.That(result.Warnings, Has.Count.EqualTo(3));
        Assert.That(result.Warnings, Has.Some.Contains("seed 2").And.Some.Contains("no summary.json"));
        Assert.That(result.Warnings, Has.Some.Contains("seed 3").And.Some.Contains("interrupted at step 4000"));
        Assert.That(result.Warnings, Has.Some.Contains("seed 4").And.Some.Contains("not started"));

        var doc = ParseHtml(File.ReadAllText(result.Report));
        Assert.That(doc.SelectSingleNode("//*[local-name()='h1']/*[@class='partial']"), Is.Not.Null, "the title says partial");
        var seedRows = doc.SelectNodes("//*[@id='seeds']//*[local-name()='tbody']/*[local-name()='tr']")!.Cast<XmlNode>().ToList();
        Assert.That(seedRows, Has.Count.EqualTo(5));
        Assert.That(seedRows.Count(r => r.SelectSingleNode(".//*[@class='partial']") != null), Is.EqualTo(3));
        // seed 2 has no summary, so it does not count for the success rate; seed 3's interrupted summary does.
        Assert.That(Row(doc, "success rate")[2], Is.EqualTo("3"));
        Assert.That(Row(doc, "steps")[^3], Is.EqualTo("6000"), "seed 2 reached step 6000 (the cut row at 6100 is dropped)");
        // From out/r.html the videos are one folder up.
        Assert.That(doc.SelectSingleNode("//*[local-name()='video']")!.Attributes!["src"]!.Value, Is.EqualTo("../seed-0/videos/final.mp4"));
    }

    [Test]
    public void SingleRunDirectoryIsAnExperimentOfOneSeed()
    {
        var dir = WriteRun(Path.Combine(TempDirectory("single"), "reach__sac__7__1795241515"), 7, 4000, 0.5, 700);
        var result = ReportWriter.Write(dir);
        var doc = ParseHtml(File.ReadAllText(result.Report));
        Assert.That(Row(doc, "success rate"), Is.EqualTo(new[] { "success rate", "0.5", "1", "0.5" }), "one seed: its value, no spread");
        Assert.That(doc.SelectSingleNode("//*[local-name()='th'][.='seed 7']"), Is.Not.Null, "the seed comes from config.json");
        Assert.That(doc.SelectSingleNode("//*[local-name()='video']")!.Attributes!["src"]!.Value, Is.EqualTo("videos/final.mp4"));
        Assert.That(result.Plots, Is.EqualTo(PlottedMetrics.Length));
    }

    [Test]
    public void RewardProgramIsShownEscaped()
    {
        var exp = TwoSeedExperiment(TempDirectory("program"));
        Directory.CreateDirectory(Path.Combine(exp, "reward"));
        const string program = "return dist < 0.05 && grip > 0 ? 1.0 : -dist; // \"reach\" & <hold>";
        File.WriteAllText(Path.Combine(exp, "reward", "program.cs"), program);
        File.WriteAllText(Path.Combine(exp, "run.json"), """{"name": "<script>alert(1)</script>", "task": "reach", "seeds": [0, 1]}""");
        var html = File.ReadAllText(ReportWriter.Write(exp).Report);
        var doc = ParseHtml(html);
        Assert.That(doc.SelectSingleNode("//*[@id='reward']//*[local-name()='pre']")!.InnerText, Is.EqualTo(program));
        Assert.That(html, Does.Not.Contain("<script"), "names are text, never markup");
        Assert.That(doc.SelectSingleNode("//*[local-name()='h1']")!.InnerText, Does.Contain("<script>alert(1)</script>"));
    }

    [Test]
    public void RewardSettingsFromConfigAreShown()
    {
        var dir = WriteRun(Path.Combine(TempDirectory("config-reward"), "run"), 0, 2000, 0.5, 700);
        File.WriteAllText(Path.Combine(dir, "config.json"),
            """{"request": {"Task": "push", "Seed": 0, "Reward": {"description": "CLIP similarity to 'the cube is on the target'", "model": "ViT-B-32"}}}""");
        var doc = ParseHtml(File.ReadAllText(ReportWriter.Write(dir).Report));
        var section = doc.SelectSingleNode("//*[@id='reward']")!.InnerText;
        Assert.That(section, Does.Contain("CLIP similarity to 'the cube is on the target'"));
        Assert.That(section, Does.Contain("ViT-B-32"));
    }

    [Test]
    public void CompareOverlaysRunsInEveryPlot()
    {
        var root = TempDirectory("compare");
        var a = TwoSeedExperiment(root, "sac-dense");
        var b = WriteRun(Path.Combine(root, "sac-sparse"), 0, 8000, 0.2, 650, video: false);
        var result = ReportWriter.Compare([a, b], Path.Combine(root, "compare.html"), ["dense", "sparse"]);
        Assert.That(result.Plots, Is.EqualTo(PlottedMetrics.Length));
        Assert.That(result.Videos, Is.EqualTo(2));

        var doc = ParseHtml(File.ReadAllText(result.Report));
        foreach (XmlNode svg in doc.SelectNodes("//*[local-name()='svg']")!)
        {
            var series = svg.SelectNodes(".//*[local-name()='g'][@class='series']")!.Cast<XmlElement>().ToList();
            Assert.That(series, Has.Count.EqualTo(2));
            Assert.That(series[0].GetAttribute("stroke"), Is.Not.EqualTo(series[1].GetAttribute("stroke")), "each run its own colour");
            var legend = svg.SelectSingleNode(".//*[local-name()='g'][@class='legend']")!.InnerText;
            Assert.That(legend, Does.Contain("dense (n=2)").And.Contain("sparse"));
            // The shorter run ends earlier: its line stops left of the other's.
            Assert.That(ReportPlotTests.Points(series[1], "mean").Max(p => p.X), Is.LessThanOrEqualTo(ReportPlotTests.Points(series[0], "mean").Max(p => p.X)));
        }
        Assert.That(Row(doc, "success rate"), Is.EqualTo(new[] { "success rate", "0.7 ± 0.1414", "2", "0.2", "1" }));
        Assert.That(doc.SelectNodes("//*[local-name()='table'][@class='runs']//*[local-name()='tbody']/*[local-name()='tr']")!.Count, Is.EqualTo(2));
        Assert.That(doc.SelectSingleNode("//*[local-name()='video']")!.Attributes!["src"]!.Value, Is.EqualTo("sac-dense/seed-0/videos/final.mp4"));
    }

    [Test]
    public void CompareChecksItsLabels()
    {
        var root = TempDirectory("labels");
        var a = WriteRun(Path.Combine(root, "a"), 0, 2000, 0.5, 700);
        Assert.Throws<ArgumentException>(() => ReportWriter.Compare([a, a], Path.Combine(root, "c.html"), ["only-one"]));
        var result = ReportWriter.Compare([a, a], Path.Combine(root, "c.html"));
        Assert.That(File.ReadAllText(result.Report), Does.Contain("a (2)"), "same-named runs are told apart");
    }

    [Test]
    public void DirectoryThatIsNoRunIsAClearError()
    {
        var empty = TempDirectory("empty");
        var e = Assert.Throws<InvalidDataException>(() => ReportWriter.Write(empty))!;
        Assert.That(e.Message, Does.Contain("not a run directory"));
        Assert.Throws<DirectoryNotFoundException>(() => ReportWriter.Write(Path.Combine(empty, "missing")));
    }

    /// <summary>The report is written as polyglot HTML5, so an XML parser can check it is well-formed and query it.</summary>
    internal static XmlDocument ParseHtml(string html)
    {
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        var doc = new XmlDocument();
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        doc.Load(reader);
        return doc;
    }

    /// <summary>The cells of the final-metrics row for <paramref name="metric"/>, header cell first.</summary>
    private static string[] Row(XmlDocument doc, string metric)
    {
        var row = doc.SelectSingleNode($"//*[@id='final']//*[local-name()='tr'][*[local-name()='th'][.='{metric}']]");
        Assert.That(row, Is.Not.Null, $"no final-metrics row for {metric}");
        return row!.ChildNodes.Cast<XmlNode>().Select(n => n.InnerText).ToArray();
    }
}

public class ReportCommandTests
{
    [Test]
    public void ReportCommandWritesReportHtmlAndPrintsJson()
    {
        var exp = TwoSeedExperiment(TempDirectory("cmd"));
        var r = Robo.Run("report", exp);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        Assert.That(json.RootElement.GetProperty("report").GetString(), Is.EqualTo(Path.Combine(exp, "report.html")));
        Assert.That(json.RootElement.GetProperty("plots").GetInt32(), Is.EqualTo(8));
        Assert.That(json.RootElement.GetProperty("videos").GetInt32(), Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(exp, "report.html")));
    }

    [Test]
    public void CompareCommandTakesLabelsAndOut()
    {
        var root = TempDirectory("cmd-compare");
        var a = TwoSeedExperiment(root, "one");
        var b = TwoSeedExperiment(root, "two");
        var output = Path.Combine(root, "cmp", "both.html");
        var r = Robo.Run("compare", a, b, "--out", output, "--labels", "first,second");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        Assert.That(json.RootElement.GetProperty("report").GetString(), Is.EqualTo(output));
        Assert.That(json.RootElement.GetProperty("videos").GetInt32(), Is.EqualTo(4));
        Assert.That(File.ReadAllText(output), Does.Contain("first (n=2)").And.Contain("second (n=2)"));

        var bad = Robo.Run("compare", a, b, "--labels", "x");
        Assert.That(bad.ExitCode, Is.EqualTo(1));
        Assert.That(bad.Stderr, Does.Contain("1 labels for 2 runs"));
    }

    [Test]
    public void ReportOfANonRunDirectoryFailsWithOneLine()
    {
        var r = Robo.Run("report", TempDirectory("cmd-empty"));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.StartWith("robo: error:").And.Contain("not a run directory"));
    }
}

/// <summary>The report as a browser sees it: headless Chromium loads it, and its DOM and a screenshot are checked.</summary>
public class ReportBrowserTests
{
    [Test]
    public void ChromiumRendersThePlotsAndTheVideo()
    {
        var chromium = FindOnPath("chromium") ?? FindOnPath("chromium-browser");
        if (chromium == null)
            Assert.Ignore("chromium is not on PATH (Debian: apt-get install -y --no-install-recommends chromium); the browser check is skipped");
        var exp = TwoSeedExperiment(TempDirectory("browser"));
        var report = ReportWriter.Write(exp);
        var url = new Uri(report.Report).AbsoluteUri;

        var dom = RunChromium(chromium!, "--dump-dom", url);
        Assert.That(Regex.Count(dom, "<svg[ >]"), Is.EqualTo(report.Plots), "every plot survives the HTML parser as inline SVG");
        Assert.That(Regex.Count(dom, "<polyline"), Is.GreaterThanOrEqualTo(report.Plots));
        Assert.That(dom, Does.Contain("<video controls=\"controls\""));
        Assert.That(dom, Does.Contain("src=\"seed-0/videos/final.mp4\""));

        var png = Path.Combine(exp, "screenshot.png");
        RunChromium(chromium!, $"--screenshot={png}", "--window-size=1280,1600", "--hide-scrollbars", url);
        var image = Png.Read(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((1280, 1600)));
        Assert.That(image.IsUniform(), Is.False);
        // Text, axes, eight coloured curves and their bands: far more than a blank or error page shows.
        Assert.That(image.DistinctColours(), Is.GreaterThan(200));
        Assert.That(ColouredPixels(image), Is.GreaterThan(1000), "the curves' coloured pixels are on screen");
    }

    private static string RunChromium(string chromium, params string[] args)
    {
        var info = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // A profile of its own: tests running side by side must not share Chromium's profile lock.
        var profile = Directory.CreateTempSubdirectory("chromium-profile").FullName;
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile}" }.Concat(args)) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); Assert.Fail("chromium did not finish in 2 minutes"); }
        Assert.That(p.ExitCode, Is.Zero, stderr.Result);
        return stdout;
    }

    /// <summary>Pixels clearly coloured (not grey, white or black): the plotted curves and bands.</summary>
    private static int ColouredPixels(RgbImage image)
    {
        int count = 0;
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            int r = image.Pixels[i], g = image.Pixels[i + 1], b = image.Pixels[i + 2];
            if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 60) count++;
        }
        return count;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
