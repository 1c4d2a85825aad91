using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

// The interactive viewer's bundle (native/mujoco/src/viewer.c). Calls documented as GL there need the
// window's context current on the calling thread; WindowRenderer makes sure of it.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int rmj_viewer_create(ModelHandle model, out nint viewer);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_free(nint viewer);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_make_context(ViewerHandle viewer, ModelHandle model, int fontScale);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_free_context(ViewerHandle viewer);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_move_camera(ViewerHandle viewer, ModelHandle model, DataHandle data, int action,
        double reldx, double reldy);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_camera(ViewerHandle viewer, double* lookat, out double distance, out double azimuth,
        out double elevation);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_set_camera(ViewerHandle viewer, double* lookat, double distance, double azimuth,
        double elevation);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_look_from(ViewerHandle viewer, ModelHandle model, DataHandle data, int camera);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_flag(ViewerHandle viewer, int flag, out int value);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_set_flag(ViewerHandle viewer, int flag, int value);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_update(ViewerHandle viewer, ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_scene_geoms(ViewerHandle viewer, out int ngeom);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_render(ViewerHandle viewer, int width, int height);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_viewer_overlay(ViewerHandle viewer, int font, int gridpos, int width, int height,
        string? title, string? content);

    [LibraryImport(Library)]
    internal static partial int rmj_viewer_read_pixels(ViewerHandle viewer, int width, int height, byte* rgb);
}
