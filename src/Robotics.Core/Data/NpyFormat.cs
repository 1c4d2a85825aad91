using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Robotics.Core.Data;

/// <summary>The element types this reader and writer handle, with NumPy's names for them.</summary>
public enum NpyDType
{
    /// <summary>'&lt;f4'</summary>
    Float32,
    /// <summary>'&lt;f8'</summary>
    Float64,
    /// <summary>'|b1', one byte per element, 0 or 1.</summary>
    Bool,
    /// <summary>'&lt;i8'</summary>
    Int64,
}

/// <summary>
/// An n-dimensional array as a flat C-order (row-major) .NET array plus its shape. The element type follows from
/// the data: float[], double[], bool[] or long[].
/// </summary>
public sealed class NpyArray
{
    public Array Data { get; }
    public int[] Shape { get; }
    public NpyDType DType { get; }
    public int Length => Data.Length;

    public NpyArray(Array data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        DType = data switch
        {
            float[] => NpyDType.Float32,
            double[] => NpyDType.Float64,
            bool[] => NpyDType.Bool,
            long[] => NpyDType.Int64,
            _ => throw new ArgumentException($"an .npy array holds float[], double[], bool[] or long[], not {data.GetType().Name}", nameof(data)),
        };
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape ({string.Join(", ", shape)}) has a negative dimension", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but the data has {data.Length}", nameof(shape));
        Data = data;
        Shape = shape.ToArray();
    }

    /// <summary>A 1-D array of the data's length.</summary>
    public static NpyArray Vector(Array data) => new(data, data.Length);

    public float[] AsFloat32() => As<float>(NpyDType.Float32);
    public double[] AsFloat64() => As<double>(NpyDType.Float64);
    public bool[] AsBool() => As<bool>(NpyDType.Bool);
    public long[] AsInt64() => As<long>(NpyDType.Int64);

    private T[] As<T>(NpyDType wanted) => Data as T[]
        ?? throw new InvalidDataException($"array is {NpyFormat.Descr(DType)} ({DType}), not {NpyFormat.Descr(wanted)} ({wanted})");

    public string ShapeText => NpyFormat.ShapeTuple(Shape);
}

/// <summary>
/// NumPy's .npy format (numpy/lib/format.py): the magic "\x93NUMPY", a version, a little-endian header length,
/// a Python-literal dict {'descr', 'fortran_order', 'shape'} padded with spaces and a newline so the data starts on
/// a 64-byte boundary, then the raw little-endian elements in C order. Writes version 1.0; reads 1.0, 2.0 and 3.0.
/// </summary>
public static class NpyFormat
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    /// <summary>numpy's ARRAY_ALIGN: the header is padded so data starts at a multiple of this.</summary>
    private const int Alignment = 64;
    /// <summary>numpy's GROWTH_AXIS_MAX_DIGITS.</summary>
    private const int GrowthAxisMaxDigits = 21;

    public static string Descr(NpyDType t) => t switch
    {
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        NpyDType.Bool => "|b1",
        NpyDType.Int64 => "<i8",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    private static int ElementSize(NpyDType t) => t switch
    {
        NpyDType.Float32 => 4,
        NpyDType.Float64 => 8,
        NpyDType.Bool => 1,
        _ => 8,
    };

    /// <summary>Python's repr of a shape tuple: (), (3,), (3, 4).</summary>
    public static string ShapeTuple(ReadOnlySpan<int> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.ToArray())})";

    public static void Write(Stream stream, NpyArray array)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy I/O here assumes a little-endian machine");
        var dict = $"{{'descr': '{Descr(array.DType)}', 'fortran_order': False, 'shape': {ShapeTuple(array.Shape)}, }}";
        // numpy ≥ 1.23 leaves room for the first dimension to grow to 21 digits, so appending rewrites the header in place;
        // doing the same makes our files byte-identical to np.save's.
        if (array.Shape.Length > 0) dict += new string(' ', Math.Max(0, GrowthAxisMaxDigits - array.Shape[0].ToString(CultureInfo.InvariantCulture).Length));
        // numpy's _wrap_header: magic (6) + version (2) + length (2) + dict + padding spaces + '\n' ≡ 0 (mod 64).
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (Alignment - unpadded % Alignment) % Alignment;
        int headerLength = dict.Length + padding + 1;
        if (headerLength > ushort.MaxValue) throw new ArgumentException($"an .npy 1.0 header holds at most 65535 bytes; shape {array.ShapeText} needs {headerLength}");

        Span<byte> prefix = stackalloc byte[10];
        Magic.CopyTo(prefix);
        prefix[6] = 1; prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)headerLength);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(dict + new string(' ', padding) + "\n"));
        stream.Write(array.Data switch
        {
            float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
            double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
            bool[] b => MemoryMarshal.AsBytes(b.AsSpan()), // .NET bools are one byte, 0 or 1, as numpy's are
            long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
            _ => throw new InvalidOperationException("unreachable: NpyArray checks its element type"),
        });
    }

    /// <summary>Reads one array; <paramref name="name"/> names it in error messages.</summary>
    public static NpyArray Read(Stream stream, string name = "array")
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy I/O here assumes a little-endian machine");
        Span<byte> prefix = stackalloc byte[8];
        if (ReadFully(stream, prefix) < prefix.Length || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{name}: not an .npy array (no \\x93NUMPY magic)");
        int major = prefix[6];
        int headerLength;
        Encoding encoding = Encoding.Latin1;
        switch (major)
        {
            case 1:
            {
                Span<byte> len = stackalloc byte[2];
                if (ReadFully(stream, len) < 2) throw Truncated(name, "header length");
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
                break;
            }
            case 2 or 3:
            {
                Span<byte> len = stackalloc byte[4];
                if (ReadFully(stream, len) < 4) throw Truncated(name, "header length");
                uint n = BinaryPrimitives.ReadUInt32LittleEndian(len);
                if (n > 100_000_000) throw new InvalidDataException($"{name}: .npy header claims {n} bytes; the file is corrupt");
                headerLength = (int)n;
                if (major == 3) encoding = Encoding.UTF8;
                break;
            }
            default:
                throw new InvalidDataException($"{name}: .npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength) throw Truncated(name, "header");
        var header = NpyHeader.Parse(encoding.GetString(headerBytes), name);

        var dtype = header.Descr switch
        {
            "<f4" => NpyDType.Float32,
            "<f8" => NpyDType.Float64,
            "|b1" => NpyDType.Bool,
            "<i8" => NpyDType.Int64,
            _ => throw new InvalidDataException(
                $"{name}: dtype '{header.Descr}' is not supported; supported are '<f4' (float32), '<f8' (float64), '|b1' (bool), '<i8' (int64)"),
        };
        if (header.FortranOrder)
            throw new InvalidDataException($"{name}: the array is stored in Fortran (column-major) order; only C order is supported (save np.ascontiguousarray(x))");

        long count = 1;
        foreach (var d in header.Shape) count *= d;
        long bytes = count * ElementSize(dtype);
        if (count > Array.MaxLength || bytes > int.MaxValue)
            throw new InvalidDataException($"{name}: shape {ShapeTuple(header.Shape)} is too large to load ({bytes} bytes)");
        Array data = dtype switch
        {
            NpyDType.Float32 => new float[count],
            NpyDType.Float64 => new double[count],
            NpyDType.Bool => new bool[count],
            _ => new long[count],
        };
        var target = data switch
        {
            float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
            double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
            bool[] b => MemoryMarshal.AsBytes(b.AsSpan()),
            long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
            _ => throw new InvalidOperationException("unreachable"),
        };
        int got = ReadFully(stream, target);
        if (got < target.Length)
            throw new InvalidDataException($"{name}: the data is truncated: shape {ShapeTuple(header.Shape)} of {header.Descr} needs {target.Length} bytes, found {got}");
        if (data is bool[] flags)
        {
            // Normalise: a byte other than 0/1 would make a .NET bool that compares unequal to true.
            var raw = MemoryMarshal.AsBytes(flags.AsSpan());
            for (int i = 0; i < raw.Length; i++) if (raw[i] > 1) raw[i] = 1;
        }
        return new NpyArray(data, header.Shape);
    }

    private static InvalidDataException Truncated(string name, string what) => new($"{name}: the file is truncated inside the .npy {what}");

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>The header dict. It is a Python literal; this parser accepts exactly the subset numpy writes.</summary>
    private sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
    {
        public static NpyHeader Parse(string text, string name)
        {
            var p = new Parser(text, name);
            string? descr = null;
            bool? fortran = null;
            int[]? shape = null;
            p.Expect('{');
            while (!p.TryTake('}'))
            {
                var key = p.String();
                p.Expect(':');
                switch (key)
                {
                    case "descr": descr = p.String(); break;
                    case "fortran_order": fortran = p.Bool(); break;
                    case "shape": shape = p.Tuple(); break;
                    default: throw p.Error($"unexpected key '{key}'");
                }
                if (!p.TryTake(',')) { p.Expect('}'); break; }
            }
            return new NpyHeader(descr ?? throw p.Error("no 'descr'"), fortran ?? throw p.Error("no 'fortran_order'"), shape ?? throw p.Error("no 'shape'"));
        }

        private ref struct Parser(string text, string name)
        {
            private int _pos;

            private void SkipSpace() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }

            public InvalidDataException Error(string what) => new($"{name}: bad .npy header ({what}): {text.TrimEnd()}");

            public bool TryTake(char c)
            {
                SkipSpace();
                if (_pos < text.Length && text[_pos] == c) { _pos++; return true; }
                return false;
            }

            public void Expect(char c)
            {
                if (!TryTake(c)) throw Error($"expected '{c}' at offset {_pos}");
            }

            public string String()
            {
                SkipSpace();
                if (_pos >= text.Length || text[_pos] is not ('\'' or '"')) throw Error($"expected a string at offset {_pos}");
                char quote = text[_pos++];
                int end = text.IndexOf(quote, _pos);
                if (end < 0) throw Error("unterminated string");
                var s = text[_pos..end];
                _pos = end + 1;
                return s;
            }

            public bool Bool()
            {
                SkipSpace();
                if (string.CompareOrdinal(text, _pos, "True", 0, 4) == 0) { _pos += 4; return true; }
                if (string.CompareOrdinal(text, _pos, "False", 0, 5) == 0) { _pos += 5; return false; }
                throw Error($"expected True or False at offset {_pos}");
            }

            public int[] Tuple()
            {
                Expect('(');
                var dims = new List<int>();
                while (!TryTake(')'))
                {
                    SkipSpace();
                    int start = _pos;
                    while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                    if (_pos < text.Length && text[_pos] == 'L') _pos++; // Python 2's long suffix
                    if (!int.TryParse(text.AsSpan(start, _pos - start).TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                        throw Error($"expected a dimension at offset {start}");
                    dims.Add(d);
                    if (!TryTake(',')) { Expect(')'); break; }
                }
                return dims.ToArray();
            }
        }
    }
}
