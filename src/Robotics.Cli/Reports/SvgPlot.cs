using System.Text;

namespace Robotics.Cli.Reports;

/// <summary>
/// A line plot as one standalone SVG element (no script, no stylesheet, no external reference), so it can be
/// inlined in an HTML report or saved as a .svg file. Each series is one or more seeds of a metric: a single
/// seed draws as a line, several as their mean with a shaded ±1 std band (see <see cref="SeedCurve"/>).
/// Non-finite values are skipped; an empty plot still draws its axes and says "no data".
/// </summary>
public sealed class SvgPlot
{
    // Tableau 10: distinguishable, and the order matplotlib users already associate with "first run, second run".
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private const int MarginLeft = 64, MarginTop = 32, MarginBottom = 48, LegendWidth = 170;
    private const int MaxLegendChars = 24;
    /// <summary>Curves with this few points get a marker at each point (evaluations every 10k steps, say).</summary>
    private const int MarkerLimit = 30;

    private readonly List<(string Label, IReadOnlyList<MetricSeries> Seeds)> _series = [];

    public string Title { get; init; } = "";
    public string XLabel { get; init; } = "step";
    public string YLabel { get; init; } = "";
    /// <summary>560 px: two plots side by side on a laptop screen.</summary>
    public int Width { get; init; } = 560;
    public int Height { get; init; } = 340;
    /// <summary>Moving-average window in points (1 = none); for noisy training curves, not for evaluations.</summary>
    public int Smoothing { get; init; } = 1;

    /// <summary>
    /// A y range the axis always covers, data beyond it extending it: [0, 1] for rates, so a success rate stuck at 0
    /// reads as 0 on a 0…1 axis instead of a line in the middle of a −1…1 one.
    /// </summary>
    public (double Min, double Max)? YInclude { get; init; }

    public int SeriesCount => _series.Count;

    /// <summary>Adds one series: a single run's metric, or the same metric from several seeds of one run.</summary>
    public SvgPlot Add(string label, params IReadOnlyList<MetricSeries> seeds)
    {
        _series.Add((label, seeds));
        return this;
    }

    public string ToSvg()
    {
        if (Width < MarginLeft + LegendWidth + 50 || Height < MarginTop + MarginBottom + 50)
            throw new InvalidOperationException($"a plot of {Width}×{Height} px leaves no room for the data");
        var curves = _series.Select(s => SeedCurve.Smooth(SeedCurve.Aggregate(s.Seeds), Smoothing)).ToList();
        bool any = curves.Any(c => c.Count > 0);
        var x = any ? AxisScale.Nice(curves.Where(c => c.Count > 0).Min(c => c.X[0]), curves.Where(c => c.Count > 0).Max(c => c.X[^1]), 6)
                    : AxisScale.Nice(0, 1, 6);
        var y = YScale(curves, YInclude);
        var frame = new Frame(MarginLeft, MarginTop, Width - LegendWidth, Height - MarginBottom, x, y);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" ")
           .Append($"role=\"img\" aria-label=\"{HtmlText.Escape(Title)}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">");
        svg.Append($"<title>{HtmlText.Escape(Title)}</title>");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        AppendAxes(svg, frame);
        for (int i = 0; i < curves.Count; i++) AppendCurve(svg, frame, curves[i], Palette[i % Palette.Length]);
        if (!any)
            svg.Append($"<text x=\"{N((frame.Left + frame.Right) / 2)}\" y=\"{N((frame.Top + frame.Bottom) / 2)}\" text-anchor=\"middle\" fill=\"#888888\" font-size=\"14\">no data</text>");
        AppendLegend(svg, frame, curves);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The y range covers every mean ± std, so the band never leaves the plot.</summary>
    private static AxisScale YScale(List<Curve> curves, (double Min, double Max)? include)
    {
        if (!curves.Any(c => c.Count > 0)) return AxisScale.Nice(include?.Min ?? 0, include?.Max ?? 1, 5);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var c in curves)
            for (int i = 0; i < c.Count; i++)
            {
                lo = Math.Min(lo, c.Mean[i] - c.Std[i]);
                hi = Math.Max(hi, c.Mean[i] + c.Std[i]);
            }
        // mean ± std can overflow for values near double.MaxValue; fall back to the means alone then.
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            lo = curves.Where(c => c.Count > 0).Min(c => c.Mean.Min());
            hi = curves.Where(c => c.Count > 0).Max(c => c.Mean.Max());
        }
        if (include is var (min, max)) (lo, hi) = (Math.Min(lo, min), Math.Max(hi, max));
        return AxisScale.Nice(lo, hi, 5);
    }

    private void AppendAxes(StringBuilder svg, Frame f)
    {
        svg.Append("<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">");
        foreach (var t in f.X.Ticks) svg.Append($"<line x1=\"{N(f.Px(t))}\" y1=\"{N(f.Top)}\" x2=\"{N(f.Px(t))}\" y2=\"{N(f.Bottom)}\"/>");
        foreach (var t in f.Y.Ticks) svg.Append($"<line x1=\"{N(f.Left)}\" y1=\"{N(f.Py(t))}\" x2=\"{N(f.Right)}\" y2=\"{N(f.Py(t))}\"/>");
        svg.Append("</g>");

        svg.Append("<g class=\"axes\" fill=\"#333333\">");
        svg.Append($"<path d=\"M{N(f.Left)} {N(f.Top)}V{N(f.Bottom)}H{N(f.Right)}\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>");
        foreach (var t in f.X.Ticks)
        {
            svg.Append($"<line x1=\"{N(f.Px(t))}\" y1=\"{N(f.Bottom)}\" x2=\"{N(f.Px(t))}\" y2=\"{N(f.Bottom + 4)}\" stroke=\"#333333\"/>");
            svg.Append($"<text class=\"tick\" x=\"{N(f.Px(t))}\" y=\"{N(f.Bottom + 16)}\" text-anchor=\"middle\">{HtmlText.Escape(NumberText.Steps(t))}</text>");
        }
        foreach (var t in f.Y.Ticks)
        {
            svg.Append($"<line x1=\"{N(f.Left - 4)}\" y1=\"{N(f.Py(t))}\" x2=\"{N(f.Left)}\" y2=\"{N(f.Py(t))}\" stroke=\"#333333\"/>");
            svg.Append($"<text class=\"tick\" x=\"{N(f.Left - 7)}\" y=\"{N(f.Py(t) + 4)}\" text-anchor=\"end\">{HtmlText.Escape(NumberText.Tick(t, f.Y.Step))}</text>");
        }
        svg.Append("</g>");

        svg.Append($"<text class=\"title\" x=\"{N((f.Left + f.Right) / 2)}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{HtmlText.Escape(Title)}</text>");
        svg.Append($"<text class=\"xlabel\" x=\"{N((f.Left + f.Right) / 2)}\" y=\"{N(Height - 10)}\" text-anchor=\"middle\">{HtmlText.Escape(XLabel)}</text>");
        double yMid = (f.Top + f.Bottom) / 2;
        svg.Append($"<text class=\"ylabel\" x=\"14\" y=\"{N(yMid)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {N(yMid)})\">{HtmlText.Escape(YLabel)}</text>");
    }

    private static void AppendCurve(StringBuilder svg, Frame f, Curve c, string colour)
    {
        svg.Append($"<g class=\"series\" stroke=\"{colour}\" fill=\"{colour}\">");
        if (c.Count >= 2 && c.Std.Any(s => s > 0))
        {
            // The band: along the upper edge left to right, back along the lower edge, closed.
            var d = new StringBuilder();
            for (int i = 0; i < c.Count; i++) d.Append(i == 0 ? 'M' : 'L').Append(N(f.Px(c.X[i]))).Append(' ').Append(N(f.Py(c.Mean[i] + c.Std[i])));
            for (int i = c.Count - 1; i >= 0; i--) d.Append('L').Append(N(f.Px(c.X[i]))).Append(' ').Append(N(f.Py(c.Mean[i] - c.Std[i])));
            svg.Append($"<path class=\"band\" d=\"{d}Z\" stroke=\"none\" fill-opacity=\"0.18\"/>");
        }
        if (c.Count >= 2)
        {
            var points = string.Join(' ', Enumerable.Range(0, c.Count).Select(i => $"{N(f.Px(c.X[i]))},{N(f.Py(c.Mean[i]))}"));
            svg.Append($"<polyline class=\"mean\" points=\"{points}\" fill=\"none\" stroke-width=\"1.8\" stroke-linejoin=\"round\"/>");
        }
        if (c.Count <= MarkerLimit)
            for (int i = 0; i < c.Count; i++)
                svg.Append($"<circle cx=\"{N(f.Px(c.X[i]))}\" cy=\"{N(f.Py(c.Mean[i]))}\" r=\"{(c.Count == 1 ? 3.5 : 2.5).ToString(System.Globalization.CultureInfo.InvariantCulture)}\" stroke=\"none\"/>");
        svg.Append("</g>");
    }

    private void AppendLegend(StringBuilder svg, Frame f, List<Curve> curves)
    {
        svg.Append("<g class=\"legend\">");
        for (int i = 0; i < _series.Count; i++)
        {
            double top = f.Top + 6 + i * 18;
            if (top + 12 > Height) break; // more series than rows: the rest stay unlabelled rather than drawn off the image
            var label = _series[i].Label;
            var c = curves[i];
            var note = _series[i].Seeds.All(s => s.Count == 0) ? " (no data)"
                     : c.Count == 0 ? " (no finite values)"
                     : c.Seeds > 1 ? $" (n={c.Seeds})" : "";
            var shown = label.Length > MaxLegendChars ? label[..(MaxLegendChars - 1)] + "…" : label;
            var colour = Palette[i % Palette.Length];
            svg.Append("<g class=\"entry\">");
            svg.Append($"<title>{HtmlText.Escape(label + note)}</title>");
            svg.Append($"<line x1=\"{N(f.Right + 12)}\" y1=\"{N(top + 6)}\" x2=\"{N(f.Right + 30)}\" y2=\"{N(top + 6)}\" stroke=\"{colour}\" stroke-width=\"3\"/>");
            svg.Append($"<text x=\"{N(f.Right + 36)}\" y=\"{N(top + 10)}\" fill=\"#333333\">{HtmlText.Escape(shown + note)}</text>");
            svg.Append("</g>");
        }
        svg.Append("</g>");
    }

    private static string N(double v) => NumberText.Coordinate(v);

    /// <summary>The plotting area in pixels and the scales that map data into it (SVG's y grows downwards).</summary>
    private sealed record Frame(double Left, double Top, double Right, double Bottom, AxisScale X, AxisScale Y)
    {
        public double Px(double x) => Left + X.Fraction(x) * (Right - Left);
        public double Py(double y) => Bottom - Y.Fraction(y) * (Bottom - Top);
    }
}
