using System.Runtime.CompilerServices;

// Every native signature is blittable (pointers, ints, doubles, SafeHandles and UTF-8 strings
// marshalled by the LibraryImport generator), so the runtime's own marshalling is switched off.
[assembly: DisableRuntimeMarshalling]
