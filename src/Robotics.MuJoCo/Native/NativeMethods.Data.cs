using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library)]
    internal static partial int rmj_data_make(ModelHandle model, out nint data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_free(nint data);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_data_field(ModelHandle model, DataHandle data, string name, out void* pointer,
        out int rows, out int cols, out int kind, out int elementSize);

    [LibraryImport(Library)]
    internal static partial int rmj_data_copy(ModelHandle model, DataHandle destination, DataHandle source);

    // Never SuppressGCTransition here: a step runs for tens of microseconds or more.
    [LibraryImport(Library)]
    internal static partial int rmj_data_step(ModelHandle model, DataHandle data, int steps);

    [LibraryImport(Library)]
    internal static partial int rmj_data_step1(ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_step2(ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_forward(ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_kinematics(ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_reset(ModelHandle model, DataHandle data);

    [LibraryImport(Library)]
    internal static partial int rmj_data_reset_keyframe(ModelHandle model, DataHandle data, int key);

    [LibraryImport(Library)]
    internal static partial int rmj_state_get(ModelHandle model, DataHandle data, double* state, int size);

    [LibraryImport(Library)]
    internal static partial int rmj_state_set(ModelHandle model, DataHandle data, double* state, int size);

    [LibraryImport(Library)]
    internal static partial int rmj_jac_site(ModelHandle model, DataHandle data, int site, double* jacp, double* jacr);

    [LibraryImport(Library)]
    internal static partial int rmj_jac_body(ModelHandle model, DataHandle data, int body, double* jacp, double* jacr);

    // Copies one contact and computes its force: short, never calls back into .NET.
    [LibraryImport(Library), SuppressGCTransition]
    internal static partial int rmj_contact_get(ModelHandle model, DataHandle data, int index, MjContact* contact);
}
