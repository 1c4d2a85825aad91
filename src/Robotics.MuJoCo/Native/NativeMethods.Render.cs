using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int rmj_renderer_create(ModelHandle model, int width, int height, int backend, int samples,
        out nint renderer);

    [LibraryImport(Library)]
    internal static partial int rmj_renderer_render(RendererHandle renderer, ModelHandle model, DataHandle data,
        int camera, double* lookat, double distance, double azimuth, double elevation, int flags,
        byte* rgb, float* depth);

    [LibraryImport(Library)]
    internal static partial int rmj_renderer_gl_info(RendererHandle renderer, out byte* info);

    [LibraryImport(Library)]
    internal static partial int rmj_renderer_free(nint renderer);
}
