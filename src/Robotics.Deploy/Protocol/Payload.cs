using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Robotics.Deploy.Protocol;

/// <summary>A frame whose checksum is good but whose payload does not parse as its type says: discarded and counted.</summary>
public sealed class MalformedMessageException(string message) : Exception(message);

/// <summary>Little-endian payload encoding: fixed-width numbers, vectors as consecutive floats, strings as u16 length + UTF-8.</summary>
public sealed class PayloadWriter
{
    private readonly MemoryStream _stream = new();
    private readonly byte[] _scratch = new byte[8];

    public byte[] ToArray() => _stream.ToArray();

    public PayloadWriter U8(byte v) { _stream.WriteByte(v); return this; }
    public PayloadWriter U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(_scratch, v); _stream.Write(_scratch, 0, 2); return this; }
    public PayloadWriter U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(_scratch, v); _stream.Write(_scratch, 0, 4); return this; }
    public PayloadWriter I32(int v) { BinaryPrimitives.WriteInt32LittleEndian(_scratch, v); _stream.Write(_scratch, 0, 4); return this; }
    public PayloadWriter I64(long v) { BinaryPrimitives.WriteInt64LittleEndian(_scratch, v); _stream.Write(_scratch, 0, 8); return this; }
    public PayloadWriter F32(float v) { BinaryPrimitives.WriteSingleLittleEndian(_scratch, v); _stream.Write(_scratch, 0, 4); return this; }
    public PayloadWriter F64(double v) { BinaryPrimitives.WriteDoubleLittleEndian(_scratch, v); _stream.Write(_scratch, 0, 8); return this; }
    public PayloadWriter Vec3(Vector3 v) => F32(v.X).F32(v.Y).F32(v.Z);
    /// <summary>Quaternions go (w, x, y, z), MuJoCo's and Eigen's storage order.</summary>
    public PayloadWriter Quat(Quaternion q) => F32(q.W).F32(q.X).F32(q.Y).F32(q.Z);

    public PayloadWriter Floats(ReadOnlySpan<float> values)
    {
        foreach (var v in values) F32(v);
        return this;
    }

    public PayloadWriter Text(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length > PayloadReader.MaxTextBytes) throw new ArgumentException($"a {bytes.Length}-byte string exceeds the protocol's {PayloadReader.MaxTextBytes}-byte limit");
        U16((ushort)bytes.Length);
        _stream.Write(bytes);
        return this;
    }
}

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote. Running past the end throws <see cref="MalformedMessageException"/>;
/// bytes left over at the end are allowed, so a later minor revision may append fields old readers skip.
/// </summary>
public sealed class PayloadReader(byte[] payload)
{
    public const int MaxTextBytes = 1024;
    private int _position;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (_position + n > payload.Length)
            throw new MalformedMessageException($"payload ends at byte {payload.Length}, but {n} more bytes were expected at {_position}");
        var span = payload.AsSpan(_position, n);
        _position += n;
        return span;
    }

    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public float F32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
    public Vector3 Vec3() => new(F32(), F32(), F32());

    public Quaternion Quat()
    {
        float w = F32(), x = F32(), y = F32(), z = F32();
        return new Quaternion(x, y, z, w);
    }

    public float[] Floats(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = F32();
        return values;
    }

    public string Text()
    {
        int n = U16();
        if (n > MaxTextBytes) throw new MalformedMessageException($"a {n}-byte string exceeds the {MaxTextBytes}-byte limit");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(n));
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedMessageException("a string is not valid UTF-8");
        }
    }

    /// <summary>A joint count: 1–16 joints covers every serial arm; anything else is a corrupt or hostile payload.</summary>
    public int JointCount()
    {
        int n = U8();
        if (n is < 1 or > 16) throw new MalformedMessageException($"joint count {n} is outside 1–16");
        return n;
    }

    public T Enum<T>(byte value, string what) where T : struct, System.Enum
    {
        var e = (T)(object)value;
        if (!System.Enum.IsDefined(e)) throw new MalformedMessageException($"{what} {value} is not defined");
        return e;
    }
}
