using System.Reflection;
using System.Runtime.InteropServices;

namespace Robotics.Native;

/// <summary>
/// Finds one of the project's native shims (built by ./robo into build/native and copied next to the
/// assemblies). Linked as source into each binding assembly, which registers it once from a module
/// initializer, as the .NET interop guidance asks (one resolver per assembly).
/// </summary>
internal static class NativeLibraryResolver
{
    /// <summary>Registers a resolver for <paramref name="libraryName"/> (e.g. "robotics_mujoco").</summary>
    public static void Register(Assembly assembly, string libraryName)
    {
        NativeLibrary.SetDllImportResolver(assembly, (name, asm, searchPath) =>
        {
            if (name != libraryName) return IntPtr.Zero;
            foreach (var candidate in Candidates(libraryName))
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                    return handle;
            throw new DllNotFoundException(
                $"Native library lib{libraryName}.so was not found (looked in: {string.Join(", ", Candidates(libraryName).Select(Path.GetDirectoryName).Distinct())}). " +
                "Run ./robo once to build the native shims, or set ROBOTICS_NATIVE_DIR to the folder holding it.");
        });
    }

    private static IEnumerable<string> Candidates(string libraryName)
    {
        var file = $"lib{libraryName}.so";
        var env = Environment.GetEnvironmentVariable("ROBOTICS_NATIVE_DIR");
        if (!string.IsNullOrEmpty(env)) yield return Path.Combine(env, file);
        yield return Path.Combine(AppContext.BaseDirectory, file);
        // Walk up from the assembly to the repository's build/native (tests run from bin/...).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "build", "native", file);
            if (File.Exists(path)) { yield return path; yield break; }
        }
    }
}
