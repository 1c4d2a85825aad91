namespace Robotics.Deploy.Protocol;

/// <summary>
/// CRC-32 (ISO-HDLC / IEEE 802.3 polynomial, reflected, init and final XOR 0xFFFFFFFF): the checksum zlib, PNG and
/// Ethernet use, so a robot-side bridge in C or Python computes it with zlib.crc32. Robotics.Core has the same table
/// for PNG chunks but keeps it internal; the wire protocol needs a public one.
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

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var x in data) c = Table[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
