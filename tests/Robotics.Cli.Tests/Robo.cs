using System.Diagnostics;

namespace Robotics.Cli.Tests;

/// <summary>Runs the robo CLI (the robo.dll built next to these tests) as a separate process, as a user would.</summary>
internal static class Robo
{
    public const string Humanoid = "/usr/share/mujoco/model/humanoid/humanoid.xml";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string LastLine => Stdout.TrimEnd().Split('\n')[^1];
    }

    public static Result Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "robo.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException($"robo {string.Join(' ', args)} did not finish"); }
        return new Result(p.ExitCode, stdout, stderr.Result);
    }
}
