using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Robotics.MuJoCo;

namespace Robotics.Cli.Commands;

/// <summary>
/// Raw mj_step speed through the bindings, zero controls. With --compare-testspeed it also runs MuJoCo's own
/// mujoco-testspeed on the same model in the same run (no control noise, one thread), so the ratio is honest.
/// Each side takes the median of --repeats timed runs after a warm-up.
/// </summary>
public static partial class PhysicsBenchmark
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "MJCF model file" };
        var steps = new Option<int>("--steps") { Description = "steps per timed run", DefaultValueFactory = _ => 20000 };
        var repeats = new Option<int>("--repeats") { Description = "timed runs; the median is reported", DefaultValueFactory = _ => 3 };
        var compare = new Option<bool>("--compare-testspeed") { Description = "also run mujoco-testspeed on the model" };
        var command = new Command("physics", "raw physics steps per second") { model, steps, repeats, compare };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(model)!.FullName;
            int n = parse.GetValue(steps), r = Math.Max(1, parse.GetValue(repeats));
            if (n <= 0) throw new ArgumentException($"--steps must be positive, got {n}");
            double ours = Median(Enumerable.Range(0, r).Select(_ => Measure(path, n)));
            if (!parse.GetValue(compare))
            {
                JsonOutput.PrintLine(new { model = path, steps = n, steps_per_sec = Math.Round(ours, 1) });
                return 0;
            }
            double theirs = Median(Enumerable.Range(0, r).Select(_ => TestSpeed(path, n)));
            JsonOutput.PrintLine(new
            {
                model = path, steps = n, steps_per_sec = Math.Round(ours, 1),
                testspeed_steps_per_sec = Math.Round(theirs, 1), ratio = Math.Round(ours / theirs, 3),
            });
            return 0;
        });
        return command;
    }

    internal static double Measure(string path, int steps)
    {
        using var m = MjModel.FromXmlFile(path);
        using var d = new MjData(m);
        d.Step(Math.Min(steps, 1000)); // warm caches and the JIT
        d.Reset();
        var clock = Stopwatch.StartNew();
        d.Step(steps);
        return steps / clock.Elapsed.TotalSeconds;
    }

    private static double TestSpeed(string path, int steps)
    {
        var info = new ProcessStartInfo("mujoco-testspeed", $"\"{path}\" {steps} 1 0")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(info) ?? throw new InvalidOperationException("mujoco-testspeed did not start");
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var match = StepsPerSecond().Match(text);
        if (p.ExitCode != 0 || !match.Success)
            throw new InvalidOperationException($"mujoco-testspeed failed (exit {p.ExitCode}): {text.Trim()}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    internal static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    [GeneratedRegex(@"Steps per second\s*:\s*([0-9.]+)")]
    private static partial Regex StepsPerSecond();
}
