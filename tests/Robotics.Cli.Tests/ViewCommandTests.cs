using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Sac;
using Robotics.Core.Images;

namespace Robotics.Cli.Tests;

/// <summary>
/// `robo view`: its window is real (GLFW on an X display), so these tests give it one with xvfb-run
/// (Debian: xvfb, xauth) and are ignored where that is missing. The screenshot mode draws frames in the
/// window's default framebuffer and reads them back, which checks the whole path: GLFW window, MuJoCo's
/// renderer in that context, the overlay, mjr_readPixels.
/// </summary>
public class ViewCommandTests
{
    private const int Width = 640, Height = 480;

    [Test]
    public void Screenshot_shows_the_scene_at_the_window_size_and_is_reproducible()
    {
        RequireXvfb();
        var dir = Directory.CreateTempSubdirectory("view").FullName;
        var first = Path.Combine(dir, "first.png");
        var second = Path.Combine(dir, "second.png");

        var a = View.WithDisplay("view", "--task", "reach", "--expert", "--seed", "7", "--screenshot", first, "--frames", "20",
            "--width", $"{Width}", "--height", $"{Height}");
        Assert.That(a.ExitCode, Is.Zero, a.Stderr);
        using (var json = JsonDocument.Parse(a.LastLine))
        {
            Assert.That(json.RootElement.GetProperty("task").GetString(), Is.EqualTo("reach"));
            Assert.That(json.RootElement.GetProperty("step").GetInt32(), Is.EqualTo(20), "one env step per frame");
        }
        var image = Png.Read(first);
        Assert.That((image.Width, image.Height), Is.EqualTo((Width, Height)));
        Assert.That(image.IsUniform(), Is.False);
        Assert.That(image.DistinctColours(), Is.GreaterThan(200), "a lit, shaded scene with text, not a cleared window");

        // Screenshot mode steps once per frame instead of by the clock, the env is seeded, the expert is
        // deterministic and llvmpipe rasterises the same way every time: the same command, the same pixels.
        var b = View.WithDisplay("view", "--task", "reach", "--expert", "--seed", "7", "--screenshot", second, "--frames", "20",
            "--width", $"{Width}", "--height", $"{Height}");
        Assert.That(b.ExitCode, Is.Zero, b.Stderr);
        Assert.That(Png.Read(second).Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void Without_a_display_view_says_how_to_get_one()
    {
        var r = View.WithoutDisplay("view", "--task", "reach", "--expert", "--screenshot", Path.Combine(Path.GetTempPath(), "never.png"));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.StartWith("robo: error: no display: set DISPLAY or run under xvfb-run"));
        Assert.That(r.Stderr, Does.Not.Contain("   at "), "a user error must not print a stack trace");
    }

    [TestCase("--task", "nope", "unknown task 'nope'")]
    [TestCase("--expert", "", "--task is required")]
    public void Bad_arguments_are_one_clear_line_before_any_window(string option, string value, string expected)
    {
        var args = value == "" ? new[] { "view", option } : new[] { "view", option, value };
        var r = View.WithoutDisplay(args);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain(expected));
        Assert.That(r.Stderr, Does.Not.Contain("no display"), "arguments are checked before a window is asked for");
    }

    [Test]
    public void A_checkpoint_that_does_not_fit_the_task_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("view-ckpt").FullName;
        var push = WriteCheckpoint(Path.Combine(dir, "push.ckpt"), "push", observations: 39, actions: 4);
        var r = View.WithoutDisplay("view", "--task", "reach", "--policy", push);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("trained on task 'push', not 'reach'"));

        var odd = WriteCheckpoint(Path.Combine(dir, "odd.ckpt"), "reach", observations: 20, actions: 4);
        r = View.WithoutDisplay("view", "--policy", odd);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("does not fit task reach").And.Contain("takes 20 observations"));

        r = View.WithoutDisplay("view", "--policy", push, "--expert");
        Assert.That(r.Stderr, Does.Contain("--policy and --expert are alternatives"));
    }

    [Test]
    public void A_policy_checkpoint_drives_the_view_of_its_own_task()
    {
        RequireXvfb();
        var dir = Directory.CreateTempSubdirectory("view-policy").FullName;
        var checkpoint = WriteCheckpoint(Path.Combine(dir, "reach.ckpt"), "reach", observations: 39, actions: 4);
        var png = Path.Combine(dir, "policy.png");
        var r = View.WithDisplay("view", "--policy", checkpoint, "--screenshot", png, "--frames", "5", "--width", "320", "--height", "240");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        Assert.That(json.RootElement.GetProperty("task").GetString(), Is.EqualTo("reach"), "the task comes from the checkpoint");
        var image = Png.Read(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((320, 240)));
        Assert.That(image.DistinctColours(), Is.GreaterThan(100));
    }

    /// <summary>
    /// The controls, driven through the X server's XTEST extension by a small C program compiled here (needs gcc,
    /// the Xlib headers and libXtst; ignored otherwise): pause, restart, three single steps, contacts on, an orbit,
    /// a pan, a zoom, Esc. The viewer's closing JSON line tells where each left it.
    /// </summary>
    [Test]
    public void Keys_and_mouse_control_the_episode_and_the_camera()
    {
        RequireXvfb();
        var driver = XDriver.Build();
        var start = View.WithDisplay("view", "--task", "reach", "--expert", "--screenshot", Path.Combine(Path.GetTempPath(), $"view-start-{Guid.NewGuid():N}.png"),
            "--frames", "1", "--width", $"{Width}", "--height", $"{Height}");
        Assert.That(start.ExitCode, Is.Zero, start.Stderr);
        var initial = Camera(start.LastLine);

        // The orbit is a 100-pixel drag to the right in a 480-pixel-high window: 100/480 of 180 degrees.
        var r = View.WithDisplayAndDriver(driver,
            ["view", "--task", "reach", "--expert", "--width", $"{Width}", "--height", $"{Height}"],
            ["window", "k:space", "w:300", "k:BackSpace", "k:Right", "k:Right", "k:Right", "k:c", "d:100,0", "r:0,50", "s:3", "w:300", "k:Escape"]);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        using var json = JsonDocument.Parse(r.LastLine);
        var root = json.RootElement;
        Assert.That(root.GetProperty("paused").GetBoolean(), Is.True, "space pauses");
        Assert.That(root.GetProperty("step").GetInt32(), Is.EqualTo(3), "backspace restarts; each right arrow steps once while paused");
        Assert.That(root.GetProperty("contacts").GetBoolean(), Is.True, "C shows contacts");
        var final = Camera(r.LastLine);
        Assert.That(final.Azimuth, Is.EqualTo(initial.Azimuth - 100.0 / Height * 180).Within(1e-6), "left drag orbits");
        Assert.That(final.Elevation, Is.EqualTo(initial.Elevation).Within(1e-6));
        Assert.That(final.Lookat, Is.Not.EqualTo(initial.Lookat), "right drag moves");
        Assert.That(final.Distance, Is.GreaterThan(initial.Distance), "scrolling away from the user zooms out");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private sealed record CameraPose(double[] Lookat, double Distance, double Azimuth, double Elevation);

    private static CameraPose Camera(string jsonLine)
    {
        using var json = JsonDocument.Parse(jsonLine);
        var c = json.RootElement.GetProperty("camera");
        return new CameraPose(c.GetProperty("lookat").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            c.GetProperty("distance").GetDouble(), c.GetProperty("azimuth").GetDouble(), c.GetProperty("elevation").GetDouble());
    }

    private static void RequireXvfb()
    {
        if (View.XvfbRun is null) Assert.Ignore("xvfb-run is not installed (Debian: xvfb xauth); robo view needs an X display to open its window");
    }

    /// <summary>An untrained SAC policy saved as robo train would, with the given task in its metadata.</summary>
    private static string WriteCheckpoint(string path, string task, int observations, int actions)
    {
        using var agent = new SacAgent(observations, actions, new SacConfig { Hidden = 16, Layers = 2 });
        using var writer = new CheckpointWriter(SacAgent.AlgorithmName);
        agent.Save(writer);
        writer.Set("task", task);
        writer.Save(path);
        return path;
    }

    /// <summary>Runs robo.dll (next to these tests, as <see cref="Robo"/> does) with or without an X display.</summary>
    private static class View
    {
        private const string Screen = "-screen 0 1280x1024x24";

        public static string? XvfbRun { get; } = FindOnPath("xvfb-run");

        private static string RoboDll => Path.Combine(AppContext.BaseDirectory, "robo.dll");

        /// <summary>Under xvfb-run: a private X server (-a picks a free display number) with GLX on llvmpipe.</summary>
        public static Robo.Result WithDisplay(params string[] args) =>
            Run(XvfbRun!, ["-a", "-s", Screen, "dotnet", RoboDll, .. args]);

        /// <summary>With DISPLAY (and WAYLAND_DISPLAY) removed from the environment, as on a headless machine.</summary>
        public static Robo.Result WithoutDisplay(params string[] args) => Run("dotnet", [RoboDll, .. args]);

        /// <summary>The viewer and an input driver on one X server: the driver runs while the viewer does.</summary>
        public static Robo.Result WithDisplayAndDriver(string driver, string[] viewArgs, string[] driverArgs)
        {
            var script = "dotnet \"$0\" \"$@\" & viewer=$!; \"$DRIVER\" $DRIVER_ARGS; status=$?; " +
                         "if [ $status -ne 0 ]; then kill $viewer; echo \"driver failed: $status\" >&2; fi; wait $viewer";
            return Run(XvfbRun!, ["-a", "-s", Screen, "bash", "-c", script, RoboDll, .. viewArgs],
                new Dictionary<string, string> { ["DRIVER"] = driver, ["DRIVER_ARGS"] = string.Join(' ', driverArgs) });
        }

        private static Robo.Result Run(string program, string[] args, IReadOnlyDictionary<string, string>? environment = null)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) info.ArgumentList.Add(a);
            info.Environment.Remove("DISPLAY"); // xvfb-run sets its own; without it there is none
            info.Environment.Remove("WAYLAND_DISPLAY");
            foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
            using var p = Process.Start(info)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish"); }
            return new Robo.Result(p.ExitCode, stdout, stderr.Result);
        }

        public static string? FindOnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A tiny X client that waits for the viewer's window, puts the pointer in it, then plays a script through
    /// XTEST: k:KEYSYM taps a key, d:dx,dy and r:dx,dy drag with the left / right button from (300, 300),
    /// s:N turns the wheel N notches away from the user, w:MS waits.
    /// </summary>
    private static class XDriver
    {
        private const string Source = """
            #include <X11/Xatom.h>
            #include <X11/Xlib.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <unistd.h>
            /* libXtst's prototypes (its header is in libxtst-dev, often absent; the library is there with X). */
            extern int XTestFakeKeyEvent(Display*, unsigned int, Bool, unsigned long);
            extern int XTestFakeButtonEvent(Display*, unsigned int, Bool, unsigned long);
            extern int XTestFakeMotionEvent(Display*, int, int, int, unsigned long);

            static int viewer_shown(Display* d) {
              Window root = DefaultRootWindow(d), parent, *children = NULL;
              unsigned int n = 0;
              int found = 0;
              if (!XQueryTree(d, root, &root, &parent, &children, &n)) return 0;
              /* The title is UTF-8 (_NET_WM_NAME), which XFetchName does not promise to return; its ASCII
               * prefix reads the same in any of the encodings GLFW may store, so compare raw bytes. */
              Atom names[2] = {XInternAtom(d, "_NET_WM_NAME", False), XA_WM_NAME};
              for (unsigned int i = 0; i < n && !found; i++) {
                for (int k = 0; k < 2 && !found; k++) {
                  Atom type;
                  int format;
                  unsigned long count, after;
                  unsigned char* name = NULL;
                  XWindowAttributes a;
                  if (XGetWindowProperty(d, children[i], names[k], 0, 16, False, AnyPropertyType, &type, &format,
                                         &count, &after, &name) == Success && name != NULL) {
                    found = count >= 9 && strncmp((const char*)name, "robo view", 9) == 0 &&
                            XGetWindowAttributes(d, children[i], &a) && a.map_state == IsViewable;
                  }
                  if (name) XFree(name);
                }
              }
              if (children) XFree(children);
              return found;
            }

            static void move(Display* d, int x, int y) { XTestFakeMotionEvent(d, -1, x, y, 0); XFlush(d); usleep(20000); }
            static void button(Display* d, int b, Bool down) { XTestFakeButtonEvent(d, b, down, 0); XFlush(d); usleep(50000); }

            int main(int argc, char** argv) {
              Display* d = XOpenDisplay(NULL);
              if (!d) { fprintf(stderr, "xdriver: no display\n"); return 2; }
              for (int i = 1; i < argc; i++) {
                const char* a = argv[i];
                int dx = 0, dy = 0;
                if (strcmp(a, "window") == 0) {
                  int waited = 0;
                  while (!viewer_shown(d)) {
                    if ((waited += 100) > 60000) { fprintf(stderr, "xdriver: no viewer window\n"); return 3; }
                    usleep(100000);
                  }
                  move(d, 300, 300);
                  usleep(500000);
                } else if (a[0] == 'k') {
                  KeyCode c = XKeysymToKeycode(d, XStringToKeysym(a + 2));
                  if (c == 0) { fprintf(stderr, "xdriver: unknown key %s\n", a + 2); return 4; }
                  XTestFakeKeyEvent(d, c, True, 0); XFlush(d); usleep(30000);
                  XTestFakeKeyEvent(d, c, False, 0); XFlush(d); usleep(100000);
                } else if ((a[0] == 'd' || a[0] == 'r') && sscanf(a + 2, "%d,%d", &dx, &dy) == 2) {
                  int b = a[0] == 'd' ? 1 : 3;
                  move(d, 300, 300);
                  button(d, b, True);
                  for (int s = 1; s <= 10; s++) move(d, 300 + dx * s / 10, 300 + dy * s / 10);
                  button(d, b, False);
                } else if (a[0] == 's') {
                  for (int s = 0; s < atoi(a + 2); s++) { button(d, 4, True); button(d, 4, False); }
                } else if (a[0] == 'w') {
                  usleep(atoi(a + 2) * 1000);
                } else {
                  fprintf(stderr, "xdriver: bad step %s\n", a); return 5;
                }
              }
              XCloseDisplay(d);
              return 0;
            }
            """;

        private const string Xtst = "/usr/lib/x86_64-linux-gnu/libXtst.so.6";

        public static string Build()
        {
            var gcc = View.FindOnPath("gcc");
            if (gcc is null || !File.Exists("/usr/include/X11/Xlib.h") || !File.Exists(Xtst))
                Assert.Ignore($"the input driver needs gcc, the Xlib headers (libx11-dev) and {Xtst} (libxtst6)");
            var dir = Directory.CreateTempSubdirectory("xdriver").FullName;
            var source = Path.Combine(dir, "xdriver.c");
            var program = Path.Combine(dir, "xdriver");
            File.WriteAllText(source, Source);
            var info = new ProcessStartInfo(gcc!) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-O1", "-o", program, source, "-lX11", Xtst }) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) Assert.Ignore($"the input driver did not compile: {errors}");
            return program;
        }
    }
}
