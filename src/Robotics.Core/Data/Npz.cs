using System.IO.Compression;

namespace Robotics.Core.Data;

/// <summary>
/// NumPy's .npz: a zip of .npy files, one per key, named "&lt;key&gt;.npy" (np.savez). Entries are stored, not
/// deflated, as np.savez writes them, so np.load reads our files and we read theirs.
/// </summary>
public static class Npz
{
    /// <summary>Writes the arrays in the given order; the file is written to a temporary name and then moved into place.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = full + ".tmp";
        try
        {
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.ReadWrite))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                var seen = new HashSet<string>();
                foreach (var (key, array) in arrays)
                {
                    if (string.IsNullOrEmpty(key)) throw new ArgumentException("an .npz key must not be empty");
                    if (!seen.Add(key)) throw new ArgumentException($"key '{key}' appears twice");
                    var entry = zip.CreateEntry(key + ".npy", CompressionLevel.NoCompression);
                    using var s = entry.Open();
                    NpyFormat.Write(s, array);
                }
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads every "*.npy" entry; keys are the entry names without ".npy", in file order.</summary>
    public static Dictionary<string, NpyArray> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no .npz file at {path}", path);
        ZipArchive zip;
        var file = File.OpenRead(path);
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            file.Dispose();
            throw new InvalidDataException($"{path} is not an .npz file (not a zip archive: {e.Message})", e);
        }
        using (zip)
        {
            var arrays = new Dictionary<string, NpyArray>();
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var key = entry.FullName[..^4];
                using var s = entry.Open();
                arrays[key] = NpyFormat.Read(s, $"{Path.GetFileName(path)}:{key}");
            }
            return arrays;
        }
    }
}
