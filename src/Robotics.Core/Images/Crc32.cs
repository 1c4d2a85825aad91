namespace Robotics.Core.Images;

/// <summary>
/// CRC-32 (ISO-HDLC / IEEE 802.3 polynomial, reflected, init and final XOR 0xFFFFFFFF): what PNG chunks and the robot
/// wire protocol use, and what zlib.crc32 computes on the other side. The BCL has none without an extra package.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Compute(data, ReadOnlySpan<byte>.Empty);

    /// <summary>The CRC of <paramref name="a"/> followed by <paramref name="b"/> (a PNG chunk's type and data).</summary>
    public static uint Compute(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var x in a) c = Table[(c ^ x) & 0xFF] ^ (c >> 8);
        foreach (var x in b) c = Table[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
