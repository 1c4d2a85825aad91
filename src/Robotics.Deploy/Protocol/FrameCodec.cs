using Robotics.Core.Images;
using System.Buffers.Binary;

namespace Robotics.Deploy.Protocol;

/// <summary>One checked frame: its header fields and payload bytes.</summary>
public sealed record Frame(MessageType Type, uint Sequence, long TimestampMicros, byte[] Payload);

/// <summary>What reading or checking a frame found. Only <see cref="BadChecksum"/> leaves the stream usable.</summary>
public enum FrameStatus
{
    Ok,
    /// <summary>The peer closed the connection between frames.</summary>
    EndOfStream,
    /// <summary>The connection ended inside a frame, or a buffer holds only part of one.</summary>
    Truncated,
    /// <summary>The length field is outside [MinLength, MaxLength]: the stream cannot be framed any further.</summary>
    BadLength,
    /// <summary>The two magic bytes are wrong: this is not our protocol, or framing was lost.</summary>
    BadMagic,
    /// <summary>A well-formed frame of a protocol version this side does not speak.</summary>
    UnsupportedVersion,
    /// <summary>The CRC does not match: the frame is discarded, the next one starts right after it.</summary>
    BadChecksum,
}

/// <summary>
/// The frame layout (little-endian; docs/protocol.md has the table):
/// <code>
/// 0  u32 length L  bytes after this field: 16 header bytes + payload + 4 CRC bytes (20 ≤ L ≤ 20 + MaxPayload)
/// 4  u16 magic     0x4252, the bytes 'R' 'B'
/// 6  u8  version   1
/// 7  u8  type      MessageType
/// 8  u32 sequence  per connection and direction, strictly increasing from 1
/// 12 i64 time      sender's monotonic clock, microseconds, when the content was sampled or decided
/// 20 payload       L − 20 bytes
/// .. u32 CRC-32    of every byte before it, length field included
/// </code>
/// The length comes first so a reader knows how much to wait for; the CRC covers the length so a corrupted length
/// that still lands on a plausible size is caught by the checksum of the wrongly delimited frame.
/// </summary>
public static class FrameCodec
{
    public const ushort Magic = 0x4252;
    public const byte Version = 1;
    public const int LengthFieldSize = 4;
    /// <summary>Length field + magic + version + type + sequence + timestamp.</summary>
    public const int HeaderSize = 20;
    public const int ChecksumSize = 4;
    /// <summary>Large enough for any version-1 message (a state is under 300 bytes); small enough that a corrupt
    /// length cannot make a reader allocate or wait for megabytes.</summary>
    public const int MaxPayload = 16 * 1024;
    public const int MinLength = HeaderSize - LengthFieldSize + ChecksumSize;
    public const int MaxLength = MinLength + MaxPayload;

    public static byte[] Encode(MessageType type, uint sequence, long timestampMicros, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload) throw new ArgumentException($"a {payload.Length}-byte payload exceeds the {MaxPayload}-byte limit");
        var frame = new byte[HeaderSize + payload.Length + ChecksumSize];
        var s = frame.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)(frame.Length - LengthFieldSize));
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], Magic);
        s[6] = Version;
        s[7] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(s[12..], timestampMicros);
        payload.CopyTo(s[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[^ChecksumSize..], Crc32.Compute(s[..^ChecksumSize]));
        return frame;
    }

    /// <summary>Checks the length field alone (the first 4 bytes), before waiting for the rest.</summary>
    public static bool IsValidLength(uint length) => length is >= MinLength and <= MaxLength;

    /// <summary>
    /// Checks one whole frame (length field through CRC) and decodes its header. The magic is checked before the CRC,
    /// so a foreign stream is reported as such rather than as corruption; the version after it, so a flipped version
    /// bit reads as corruption (skippable) rather than as a peer speaking another version (fatal).
    /// </summary>
    public static FrameStatus Check(ReadOnlySpan<byte> frame, out Frame? decoded)
    {
        decoded = null;
        if (frame.Length < LengthFieldSize) return FrameStatus.Truncated;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (!IsValidLength(length)) return FrameStatus.BadLength;
        if (frame.Length < LengthFieldSize + length) return FrameStatus.Truncated;
        frame = frame[..(LengthFieldSize + (int)length)];
        if (BinaryPrimitives.ReadUInt16LittleEndian(frame[4..]) != Magic) return FrameStatus.BadMagic;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(frame[^ChecksumSize..]);
        if (Crc32.Compute(frame[..^ChecksumSize]) != crc) return FrameStatus.BadChecksum;
        // The version is trusted only once the checksum says the byte is what the sender wrote.
        if (frame[6] != Version) return FrameStatus.UnsupportedVersion;
        decoded = new Frame((MessageType)frame[7], BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]),
                            BinaryPrimitives.ReadInt64LittleEndian(frame[12..]), frame[HeaderSize..^ChecksumSize].ToArray());
        return FrameStatus.Ok;
    }

    /// <summary>Total bytes of the frame starting at <paramref name="buffer"/>, or null when the length field is incomplete or invalid.</summary>
    public static int? FrameSize(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < LengthFieldSize) return null;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        return IsValidLength(length) ? LengthFieldSize + (int)length : null;
    }
}

/// <summary>Reads frames one at a time from a stream (a TCP connection).</summary>
public sealed class FrameReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[FrameCodec.LengthFieldSize + FrameCodec.MaxLength];

    /// <summary>
    /// Reads the next frame. Returns <see cref="FrameStatus.BadChecksum"/> with the stream positioned after the bad
    /// frame; every other non-Ok status means the stream cannot be read further.
    /// </summary>
    public async ValueTask<(FrameStatus Status, Frame? Frame)> ReadAsync(CancellationToken cancellation)
    {
        int got = await ReadAtLeast(_buffer.AsMemory(0, FrameCodec.LengthFieldSize), cancellation);
        if (got == 0) return (FrameStatus.EndOfStream, null);
        if (got < FrameCodec.LengthFieldSize) return (FrameStatus.Truncated, null);
        if (FrameCodec.FrameSize(_buffer) is not int size) return (FrameStatus.BadLength, null);
        int rest = size - FrameCodec.LengthFieldSize;
        if (await ReadAtLeast(_buffer.AsMemory(FrameCodec.LengthFieldSize, rest), cancellation) < rest) return (FrameStatus.Truncated, null);
        var status = FrameCodec.Check(_buffer.AsSpan(0, size), out var frame);
        return (status, frame);
    }

    private async ValueTask<int> ReadAtLeast(Memory<byte> destination, CancellationToken cancellation)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = await stream.ReadAsync(destination[total..], cancellation);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
