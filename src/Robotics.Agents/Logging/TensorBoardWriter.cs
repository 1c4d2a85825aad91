using System.Buffers.Binary;
using Google.Protobuf;

namespace Robotics.Agents.Logging;

/// <summary>
/// Writes scalars as a TensorBoard event file (events.out.tfevents.{time}.{host}): TFRecord framing
/// (length, masked CRC-32C of the length, the bytes, their masked CRC-32C) around serialized
/// tensorflow.Event protos. The three messages involved are tiny, so they are encoded field by field
/// with Google.Protobuf's CodedOutputStream instead of generating classes from TensorFlow's .proto files.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    // Field numbers from tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto.
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    private const int SummaryValue = 1;
    private const int ValueTag = 1, ValueSimpleValue = 2;

    private readonly FileStream _stream;

    public string Path { get; }

    public TensorBoardWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;
        // The process id and a counter keep writers started in the same second apart (a resumed run, seeds run side by side).
        var stem = System.IO.Path.Combine(directory, $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}");
        Path = stem;
        for (int n = 1; File.Exists(Path); n++) Path = $"{stem}.{n}";
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteEvent(now, step: 0, output =>
        {
            output.WriteTag(EventFileVersion, WireFormat.WireType.LengthDelimited);
            output.WriteString("brain.Event:2");
        });
        Flush();
    }

    public void AddScalar(string tag, float value, long step, DateTimeOffset? wallTime = null)
    {
        var valueBytes = Encode(o =>
        {
            o.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited);
            o.WriteString(tag);
            o.WriteTag(ValueSimpleValue, WireFormat.WireType.Fixed32);
            o.WriteFloat(value);
        });
        var summaryBytes = Encode(o =>
        {
            o.WriteTag(SummaryValue, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(valueBytes));
        });
        WriteEvent(wallTime ?? DateTimeOffset.UtcNow, step, o =>
        {
            o.WriteTag(EventSummary, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(summaryBytes));
        });
    }

    public void Flush() => _stream.Flush();

    private void WriteEvent(DateTimeOffset wallTime, long step, Action<CodedOutputStream> body)
    {
        var data = Encode(o =>
        {
            o.WriteTag(EventWallTime, WireFormat.WireType.Fixed64);
            o.WriteDouble(wallTime.ToUnixTimeMilliseconds() / 1000.0);
            o.WriteTag(EventStep, WireFormat.WireType.Varint);
            o.WriteInt64(step);
            body(o);
        });
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) write(output);
        return buffer.ToArray();
    }

    public void Dispose()
    {
        _stream.Flush();
        _stream.Dispose();
    }
}
