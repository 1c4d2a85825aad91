using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

/// <summary>
/// The viewer's GL half through the C API, in child processes on an xvfb-run display (skipped without xvfb-run or
/// the GLFW headers): a GLFW window's context gets an mjrContext, draws, overlays and reads back; and MuJoCo's
/// process-wide GL loader is guarded both ways, so a window and an offscreen backend never share a process silently.
/// </summary>
public class ViewerWindowTests
{
    private const string Program = """
        #include <GLFW/glfw3.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include "robotics_mujoco.h"

        /* Prints one line per step: "<what>: ok" or "<what>: <status> <message>". */
        static int report(const char* what, int status) {
          printf("%s: %s%s\n", what, status == RMJ_OK ? "ok" : "failed ", status == RMJ_OK ? "" : rmj_last_error());
          return status;
        }

        int main(int argc, char** argv) {
          mjModel* m;
          if (report("load", rmj_model_load_xml(argv[1], &m))) return 1;
          mjData* d;
          rmj_data_make(m, &d);
          rmj_data_forward(m, d);
          int offscreen_first = strcmp(argv[2], "offscreen-first") == 0;
          rmj_renderer* r = NULL;
          if (offscreen_first) report("offscreen", rmj_renderer_create(m, 64, 48, RMJ_GL_OSMESA, 0, &r));

          if (!glfwInit()) { printf("glfw: no display\n"); return 2; }
          GLFWwindow* w = glfwCreateWindow(200, 150, "viewer test", NULL, NULL);
          if (!w) { printf("glfw: no window\n"); return 2; }
          glfwMakeContextCurrent(w);
          rmj_viewer* v;
          report("create", rmj_viewer_create(m, &v));
          if (report("window", rmj_viewer_make_context(v, m, 100)) == RMJ_OK) {
            int width, height;
            glfwGetFramebufferSize(w, &width, &height);
            unsigned char* rgb = malloc((size_t)width * height * 3);
            report("update", rmj_viewer_update(v, m, d));
            report("render", rmj_viewer_render(v, width, height));
            report("overlay", rmj_viewer_overlay(v, 0, 0, width, height, "Step", "1"));
            report("read", rmj_viewer_read_pixels(v, width, height, rgb));
            int distinct = 0;
            static unsigned char seen[1 << 18]; /* 6 bits per channel */
            for (int i = 0; i < width * height; i++) {
              int key = (rgb[3 * i] >> 2) << 12 | (rgb[3 * i + 1] >> 2) << 6 | rgb[3 * i + 2] >> 2;
              if (!seen[key]) { seen[key] = 1; distinct++; }
            }
            printf("size: %dx%d colours %d\n", width, height, distinct);
            report("bad viewport", rmj_viewer_render(v, 0, height));
            free(rgb);
            if (!offscreen_first) report("offscreen", rmj_renderer_create(m, 64, 48, RMJ_GL_OSMESA, 0, &r));
            report("free context", rmj_viewer_free_context(v));
          }
          rmj_viewer_free(v);
          glfwDestroyWindow(w);
          glfwTerminate();
          if (r) rmj_renderer_free(r);
          return 0;
        }
        """;

    private static string? _exe;

    [Test]
    public void A_window_context_renders_and_then_keeps_offscreen_backends_out()
    {
        var output = RunUnderXvfb("window-first");
        Assert.That(output, Does.Contain("window: ok").And.Contain("render: ok").And.Contain("overlay: ok").And.Contain("read: ok"));
        Assert.That(output, Does.Contain("size: 200x150"));
        var colours = int.Parse(output.Split("colours ")[1].Split('\n')[0].Trim());
        Assert.That(colours, Is.GreaterThan(20), output);
        Assert.That(output, Does.Contain("bad viewport: failed viewport 0x150 is out of range"));
        Assert.That(output, Does.Contain("offscreen: failed this process already renders through a window's GL context"));
    }

    [Test]
    public void An_offscreen_backend_keeps_a_window_context_out()
    {
        var output = RunUnderXvfb("offscreen-first");
        Assert.That(output, Does.Contain("offscreen: ok"));
        Assert.That(output, Does.Contain("window: failed this process already renders through MUJOCO_GL=osmesa"));
    }

    private static string RunUnderXvfb(string mode)
    {
        var xvfb = FindOnPath("xvfb-run");
        if (xvfb is null) Assert.Ignore("xvfb-run is not installed (Debian: xvfb xauth)");
        if (!File.Exists("/usr/include/GLFW/glfw3.h")) Assert.Ignore("the GLFW headers are not installed (Debian: libglfw3-dev)");
        _exe ??= Compile();
        return NativeProgram.Run(xvfb!, $"-a -s \"-screen 0 640x480x24\" \"{_exe}\" \"{TestModels.HumanoidPath}\" {mode}");
    }

    private static string Compile()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-viewer-").FullName;
        var source = Path.Combine(dir, "viewer_window.c");
        var exe = Path.Combine(dir, "viewer_window");
        File.WriteAllText(source, Program);
        var shim = AppContext.BaseDirectory;
        NativeProgram.Run("cc", $"-O1 -o \"{exe}\" \"{source}\" -I\"{NativeProgram.ShimIncludeDirectory()}\" " +
                                $"-L\"{shim}\" -lrobotics_mujoco -lmujoco -lglfw -Wl,-rpath,\"{shim}\"");
        return exe;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
