using System.Runtime.InteropServices;

namespace Robotics.MuJoCo.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_model_load_xml(string path, out nint model);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_model_load_xml_string(string xml, string? assetDirectory, out nint model);

    [LibraryImport(Library)]
    internal static partial int rmj_model_free(nint model);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_model_int(ModelHandle model, string name, out int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_model_field(ModelHandle model, string name, out void* pointer,
        out int rows, out int cols, out int kind, out int elementSize);

    [LibraryImport(Library)]
    internal static partial int rmj_model_name(ModelHandle model, out byte* name);

    [LibraryImport(Library)]
    internal static partial int rmj_model_count(ModelHandle model, int type, out int count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rmj_model_name2id(ModelHandle model, int type, string name, out int id);

    [LibraryImport(Library)]
    internal static partial int rmj_model_id2name(ModelHandle model, int type, int id, out byte* name);

    [LibraryImport(Library)]
    internal static partial int rmj_state_size(ModelHandle model, out int size);
}
