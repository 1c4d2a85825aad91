using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Robotics.Torch.Serialization;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
/// JSON header mapping each name to dtype, shape and [begin, end) byte offsets into the data
/// section (plus an optional "__metadata__" string map), then the raw little-endian data.
/// Written here in C# so checkpoints need no Python; files load in Python's safetensors as-is.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Headers above this are refused as corrupt (the Rust reader's own limit).</summary>
    private const long MaxHeaderBytes = 100_000_000;

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O assumes a little-endian machine");
        if (tensors.ContainsKey(MetadataKey)) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor");
        // Entries in name order with contiguous offsets: the layout safetensors validates on load.
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var entries = new List<(string name, Tensor t, long size)>();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                var size = t.numel() * t.dtype.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeName(t.dtype));
                json.WriteStartArray("shape");
                foreach (var s in t.shape) json.WriteNumberValue(s);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                entries.Add((name, t, size));
                offset += size;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            file.Write(len);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var (_, t, size) in entries)
            {
                var bytes = new byte[size];
                t.CopyBytesTo(bytes);
                file.Write(bytes);
            }
        }
        // Replace atomically: a crash mid-save leaves the previous checkpoint intact.
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads every tensor (as new CPU tensors, tracked by the current dispose scope) and the metadata.</summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O assumes a little-endian machine");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.Length < 8) throw new InvalidDataException($"{path}: not a safetensors file ({file.Length} bytes, shorter than the 8-byte header length)");
        Span<byte> len = stackalloc byte[8];
        file.ReadExactly(len);
        var headerSize = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerSize > MaxHeaderBytes || (long)headerSize > file.Length - 8)
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerSize} for a {file.Length}-byte file)");
        var headerBytes = new byte[headerSize];
        file.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerSize, dataLength = file.Length - dataStart;

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var dtype = ParseDType(prop.Value.GetProperty("dtype").GetString(), path, prop.Name);
                var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != count * dtype.ElementSize())
                    throw new InvalidDataException($"{path}: tensor '{prop.Name}' has offsets [{string.Join(", ", offsets)}] that don't fit its shape or the file");
                var bytes = new byte[offsets[1] - offsets[0]];
                file.Position = dataStart + offsets[0];
                file.ReadExactly(bytes);
                tensors[prop.Name] = Tensor.FromBytes(bytes, shape, dtype);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"{path}: malformed safetensors header ({e.Message})", e);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    public static string DTypeName(ScalarType t) => t switch
    {
        ScalarType.Bool => "BOOL",
        ScalarType.UInt8 => "U8",
        ScalarType.Int8 => "I8",
        ScalarType.Int16 => "I16",
        ScalarType.Int32 => "I32",
        ScalarType.Int64 => "I64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "no safetensors dtype"),
    };

    private static ScalarType ParseDType(string? name, string path, string tensor) => name switch
    {
        "BOOL" => ScalarType.Bool,
        "U8" => ScalarType.UInt8,
        "I8" => ScalarType.Int8,
        "I16" => ScalarType.Int16,
        "I32" => ScalarType.Int32,
        "I64" => ScalarType.Int64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        _ => throw new InvalidDataException($"{path}: tensor '{tensor}' has dtype '{name}', which libtorch cannot hold here"),
    };
}
