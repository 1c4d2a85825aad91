using System.Diagnostics;
using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class ThreadTests
{
    [Test]
    public void IntraOpThreadsAreSettable()
    {
        var before = get_num_threads();
        try
        {
            set_num_threads(2);
            Assert.That(get_num_threads(), Is.EqualTo(2));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>A fresh process starts at one intra-op thread, or at ROBOTICS_TORCH_THREADS.</summary>
    [TestCase(null, 1)]
    [TestCase("2", 2)]
    public void LoadTimeDefaultComesFromTheEnvironment(string? env, int expected)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Ignore("needs python3 to host a fresh process");
        var lib = Path.Combine(AppContext.BaseDirectory, "librobotics_torch.so");
        if (!File.Exists(lib)) Assert.Ignore("librobotics_torch.so is not next to the tests");
        // ctypes loads the shim in a new process, so its load-time default runs afresh.
        var psi = new ProcessStartInfo(python, ["-c", $"import ctypes; print(ctypes.CDLL('{lib}').Torch_get_num_threads())"])
        {
            RedirectStandardOutput = true,
        };
        psi.Environment.Remove("ROBOTICS_TORCH_THREADS");
        psi.Environment.Remove("OMP_NUM_THREADS");
        if (env is not null) psi.Environment["ROBOTICS_TORCH_THREADS"] = env;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.That(output, Is.EqualTo(expected.ToString()));
    }
}
