using System.Globalization;
using Robotics.Deploy.Control;

namespace Robotics.Cli.Commands;

/// <summary>
/// The live status of `robo deploy` on stderr: redrawn in place (≤ 10 times a second) on a terminal; one plain line a
/// second when stderr is a file or pipe, so logs stay readable. Stdout is left to the closing JSON line.
/// </summary>
internal sealed class DeployStatusLine
{
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private DateTime _last = DateTime.MinValue;
    private int _width;

    public void Show(DeployStatus s)
    {
        var now = DateTime.UtcNow;
        bool final = s.Step + 1 == s.Steps;
        if (!final && now - _last < (_terminal ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1))) return;
        _last = now;
        var ic = CultureInfo.InvariantCulture;
        // InvariantGlobalization is on for the CLI, so interpolation already formats numbers invariantly.
        var line =
            $"ep {s.Episode + 1}/{s.Episodes} step {s.Step + 1}/{s.Steps} t {s.TimeSeconds:0.0}s" +
            (s.EndEffector is { } ee ? $" ee ({ee.X:0.000},{ee.Y:0.000},{ee.Z:0.000})" : " ee ?") +
            (s.GoalDistance is float d ? $" goal {d * 100:0.0}cm" : "") +
            $" {s.Command} state {(s.StateAgeMs is double a ? a.ToString("0", ic) + "ms" : "none")}" +
            (s.RoundTripMs is double rtt ? $" rtt {rtt:0.0}ms" : "") +
            $" interventions {s.Interventions}{(s.LastIntervention is { } k ? $" (last {k})" : "")}" +
            (s.Success ? " SUCCESS" : "");
        if (_terminal)
        {
            Console.Error.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
        else Console.Error.WriteLine(line);
    }

    public void Finish()
    {
        if (_terminal && _width > 0) Console.Error.WriteLine();
    }
}
