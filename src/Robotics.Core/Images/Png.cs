using System.Buffers.Binary;
using System.IO.Compression;

namespace Robotics.Core.Images;

/// <summary>
/// PNG encoding and decoding of 8-bit RGB images with System.IO.Compression's zlib stream (no image package is
/// reachable here). Writing uses the Up filter on every row, a good default for rendered frames; reading accepts
/// any of PNG's five filters, 8-bit greyscale, RGB and RGBA, non-interlaced, which covers what tools write.
/// </summary>
public static class Png
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static void Write(string path, RgbImage image)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        using var file = File.Create(path);
        Write(file, image);
    }

    public static void Write(Stream output, RgbImage image)
    {
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: RGB
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(output, "IHDR"u8, header);

        int stride = image.Width * 3;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[stride + 1];
            for (int y = 0; y < image.Height; y++)
            {
                var current = image.Pixels.AsSpan(y * stride, stride);
                row[0] = 2; // Up filter
                if (y == 0) current.CopyTo(row.AsSpan(1));
                else
                {
                    var above = image.Pixels.AsSpan((y - 1) * stride, stride);
                    for (int i = 0; i < stride; i++) row[i + 1] = (byte)(current[i] - above[i]);
                }
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        output.Write(word);
    }

    public static RgbImage Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no PNG file at '{path}'", path);
        using var file = File.OpenRead(path);
        return Read(file);
    }

    public static RgbImage Read(Stream input)
    {
        using var reader = new BinaryReader(input);
        if (!reader.ReadBytes(8).AsSpan().SequenceEqual(Signature)) throw new InvalidDataException("not a PNG file (bad signature)");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        while (true)
        {
            var lengthBytes = reader.ReadBytes(4);
            if (lengthBytes.Length < 4) throw new InvalidDataException("PNG ends before its IEND chunk");
            int length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
            var type = System.Text.Encoding.ASCII.GetString(reader.ReadBytes(4));
            var data = reader.ReadBytes(length);
            var crc = reader.ReadBytes(4);
            if (data.Length != length || crc.Length != 4) throw new InvalidDataException($"PNG chunk {type} is truncated");
            if (BinaryPrimitives.ReadUInt32BigEndian(crc) != Crc32.Compute(System.Text.Encoding.ASCII.GetBytes(type), data))
                throw new InvalidDataException($"PNG chunk {type} fails its CRC check");
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    if (data[8] != 8 || data[12] != 0)
                        throw new NotSupportedException("only 8-bit, non-interlaced PNGs are read");
                    channels = data[9] switch
                    {
                        0 => 1, 2 => 3, 6 => 4,
                        _ => throw new NotSupportedException($"PNG colour type {data[9]} is not read (greyscale, RGB and RGBA are)"),
                    };
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    if (channels == 0) throw new InvalidDataException("PNG has no IHDR chunk");
                    return Decode(idat, width, height, channels);
            }
        }
    }

    private static RgbImage Decode(MemoryStream idat, int width, int height, int channels)
    {
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        int stride = width * channels;
        var raw = new byte[stride * height];
        var previous = new byte[stride];
        var row = new byte[stride + 1];
        for (int y = 0; y < height; y++)
        {
            zlib.ReadExactly(row);
            var line = raw.AsSpan(y * stride, stride);
            Unfilter(row[0], row.AsSpan(1), previous, channels, line);
            line.CopyTo(previous);
        }
        if (channels == 3) return new RgbImage(width, height, raw);
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < raw.Length; i += channels, j += 3)
        {
            rgb[j] = raw[i];
            rgb[j + 1] = raw[channels == 1 ? i : i + 1];
            rgb[j + 2] = raw[channels == 1 ? i : i + 2];
        }
        return new RgbImage(width, height, rgb);
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> src, ReadOnlySpan<byte> up, int bpp, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            int a = i >= bpp ? dst[i - bpp] : 0, b = up[i], c = i >= bpp ? up[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new InvalidDataException($"PNG row uses unknown filter {filter}"),
            };
            dst[i] = (byte)(src[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
