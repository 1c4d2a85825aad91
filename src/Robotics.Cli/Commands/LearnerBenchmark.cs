using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Robotics.Torch.Benchmarks;

namespace Robotics.Cli.Commands;

/// <summary>
/// The SAC gradient step of ../shared/bench (twin critics + targets, tanh-Gaussian actor, learned temperature,
/// Adam) on our tensor engine. --compare runs the shared C++ (libtorch) and eager-PyTorch references in the same
/// run, so the three figures share the machine's state.
/// </summary>
public static class LearnerBenchmark
{
    public static Command Create()
    {
        var algo = new Option<string>("--algo") { Description = "algorithm (sac)", DefaultValueFactory = _ => "sac" };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 256 };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 256 };
        var updates = new Option<int>("--updates") { DefaultValueFactory = _ => 300 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 1 };
        var compare = new Option<bool>("--compare") { Description = "also run ../shared/bench's C++ and PyTorch references" };
        var command = new Command("learner", "gradient updates per second") { algo, batch, hidden, updates, threads, compare };
        command.SetAction(parse =>
        {
            if (parse.GetValue(algo) != "sac") throw new ArgumentException($"--algo {parse.GetValue(algo)} has no learner benchmark yet; use sac");
            int b = parse.GetValue(batch), h = parse.GetValue(hidden), n = parse.GetValue(updates), t = parse.GetValue(threads);
            double ours = SacUpdateBenchmark.Run(b, h, n, t);
            if (!parse.GetValue(compare))
            {
                JsonOutput.PrintLine(new { algo = "sac", batch = b, hidden = h, threads = t, updates_per_sec = Math.Round(ours, 1) });
                return 0;
            }
            if (b != 256 || h != 256) throw new ArgumentException("the shared references are fixed at --batch 256 --hidden 256");
            var bench = ReferenceDirectory();
            double cpp = RunReference(BuildCpp(bench), $"{t} {n}");
            double python = RunReference("/usr/bin/python3", $"\"{Path.Combine(bench, "sac_update.py")}\" {t} {n}");
            JsonOutput.PrintLine(new
            {
                algo = "sac", batch = b, hidden = h, threads = t,
                cpp_updates_per_sec = Math.Round(cpp, 1), pytorch_updates_per_sec = Math.Round(python, 1),
                ratio_to_cpp = Math.Round(ours / cpp, 3), ratio_to_pytorch = Math.Round(ours / python, 3),
                updates_per_sec = Math.Round(ours, 1),
            });
            return 0;
        });
        return command;
    }

    private static string ReferenceDirectory()
    {
        var root = Environment.GetEnvironmentVariable("ROBOTICS_ROOT") ?? Directory.GetCurrentDirectory();
        var dir = Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));
        if (!File.Exists(Path.Combine(dir, "sac_update.cpp")))
            throw new FileNotFoundException($"the reference benchmarks are not at {dir} (expected ../shared/bench beside the checkout)");
        return dir;
    }

    /// <summary>Compiles the C++ reference once into build/bench, as its README says.</summary>
    private static string BuildCpp(string bench)
    {
        var root = Environment.GetEnvironmentVariable("ROBOTICS_ROOT") ?? Directory.GetCurrentDirectory();
        var outDir = Path.Combine(root, "build", "bench");
        Directory.CreateDirectory(outDir);
        var exe = Path.Combine(outDir, "sac_update");
        var source = Path.Combine(bench, "sac_update.cpp");
        if (File.Exists(exe) && File.GetLastWriteTimeUtc(exe) > File.GetLastWriteTimeUtc(source)) return exe;
        Console.Error.WriteLine("robo: compiling the C++ reference benchmark (about a minute)...");
        RunProcess("g++", $"-O2 -std=c++17 \"{source}\" -o \"{exe}\" -I/usr/include/torch/csrc/api/include -ltorch -ltorch_cpu -lc10");
        return exe;
    }

    private static double RunReference(string exe, string args) =>
        double.Parse(RunProcess(exe, args).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);

    private static string RunProcess(string exe, string args)
    {
        var info = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"{exe} did not start");
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {args} failed (exit {p.ExitCode}): {err.Result.Trim()}");
        return output;
    }
}
