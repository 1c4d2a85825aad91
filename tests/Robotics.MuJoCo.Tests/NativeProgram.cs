using System.Diagnostics;
using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

/// <summary>Compiles and runs the C programs in NativePrograms/ (copied next to the test assembly).</summary>
internal static class NativeProgram
{
    /// <summary>Compiles <paramref name="source"/> with cc into <paramref name="directory"/>; returns the executable.</summary>
    public static string Compile(string source, string directory, string flags)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "NativePrograms", source);
        var exe = Path.Combine(directory, Path.GetFileNameWithoutExtension(source));
        Run("cc", $"-O2 -o \"{exe}\" \"{path}\" {flags}");
        return exe;
    }

    /// <summary>Runs a program to completion, asserting exit code 0; returns its standard output.</summary>
    public static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {arguments} failed: {stderr}");
        return stdout.Result;
    }

    /// <summary>The shim's header folder (native/mujoco/include), found by walking up from the test assembly.</summary>
    public static string ShimIncludeDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var include = Path.Combine(dir.FullName, "native", "mujoco", "include");
            if (File.Exists(Path.Combine(include, "robotics_mujoco.h"))) return include;
        }
        throw new FileNotFoundException("native/mujoco/include/robotics_mujoco.h not found above " + AppContext.BaseDirectory);
    }
}
