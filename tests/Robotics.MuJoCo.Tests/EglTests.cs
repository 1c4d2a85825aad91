using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

/// <summary>
/// The EGL backend, exercised in a child process: MuJoCo's GL loader is process-wide, and this
/// test process renders with OSMesa. On this machine EGL runs on Mesa (llvmpipe), on a GPU box on
/// the GPU; either way the frame must show the scene.
/// </summary>
public class EglTests
{
    [Test]
    public void Egl_backend_renders_the_humanoid_in_its_own_process()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-egl-");
        try
        {
            var shim = AppContext.BaseDirectory;
            var exe = NativeProgram.Compile("egl_render.c", dir.FullName,
                $"-I\"{NativeProgram.ShimIncludeDirectory()}\" -L\"{shim}\" -lrobotics_mujoco -lmujoco -Wl,-rpath,\"{shim}\"");
            var output = NativeProgram.Run(exe, $"\"{TestModels.HumanoidPath}\"");

            Assert.That(output, Does.StartWith("egl: "));
            var colours = int.Parse(output.Split("colours ")[1].Trim());
            Assert.That(colours, Is.GreaterThan(20), output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
