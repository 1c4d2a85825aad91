using System.Net.Sockets;

namespace Robotics.Deploy.Protocol;

/// <summary>A framing failure after which the stream cannot be read on: the connection must close.</summary>
public sealed class FramingException(FrameStatus status, string message) : Exception(message)
{
    public FrameStatus Status { get; } = status;
}

/// <summary>A message that passed every check, with its header's sequence and time and when it arrived (local clock).</summary>
public sealed record Incoming(IMessage Message, uint Sequence, long TimestampMicros, long ReceivedAtMicros);

/// <summary>
/// One side of a protocol connection: numbers and stamps outgoing messages, and hands on incoming ones only when
/// their frame checks out (length, magic, CRC, version), their sequence number is new, and their payload parses.
/// Everything discarded is counted in <see cref="Statistics"/>. Safe for one reader and any number of senders.
/// </summary>
public sealed class MessageChannel : IDisposable
{
    private readonly Stream _stream;
    private readonly FrameReader _reader;
    private readonly SequenceFilter _incoming = new();
    private readonly Lock _sendLock = new();
    private int _nextSequence;
    private volatile bool _broken;

    public ProtocolStatistics Statistics { get; } = new();
    /// <summary>Set once a write failed or the peer closed: nothing more will go through.</summary>
    public bool IsBroken => _broken;

    public MessageChannel(Stream stream)
    {
        _stream = stream;
        _reader = new FrameReader(stream);
    }

    /// <summary>
    /// Encodes <paramref name="message"/> with this connection's next sequence number, stamped now unless a time is
    /// given. Numbering happens here rather than at write time so that a link that delays frames (the simulated
    /// bridge's) can reorder them as a real network path can, and the receiver sees the reordering.
    /// </summary>
    public (byte[] Frame, uint Sequence) Encode(IMessage message, long? timestampMicros = null)
    {
        uint sequence = (uint)Interlocked.Increment(ref _nextSequence);
        return (Messages.Encode(message, sequence, timestampMicros ?? MonotonicClock.NowMicros), sequence);
    }

    /// <summary>Writes an encoded frame; false (and the channel marked broken) when the connection is gone.</summary>
    public bool Write(byte[] frame)
    {
        if (_broken) return false;
        lock (_sendLock)
        {
            try
            {
                _stream.Write(frame);
                _stream.Flush();
                Statistics.CountSent();
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or NotSupportedException)
            {
                _broken = true;
                return false;
            }
        }
    }

    public bool Send(IMessage message, long? timestampMicros = null) => Write(Encode(message, timestampMicros).Frame);

    /// <summary>
    /// The next acceptable message, or null when the peer closed the connection (or it was reset). Throws
    /// <see cref="FramingException"/> when the stream cannot be framed any more.
    /// </summary>
    public async Task<Incoming?> ReceiveAsync(CancellationToken cancellation)
    {
        while (true)
        {
            FrameStatus status;
            Frame? frame;
            try
            {
                (status, frame) = await _reader.ReadAsync(cancellation);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                _broken = true;
                return null;
            }
            switch (status)
            {
                case FrameStatus.Ok:
                    break;
                case FrameStatus.BadChecksum:
                    Statistics.CountBadChecksum();
                    continue;
                case FrameStatus.EndOfStream:
                    _broken = true;
                    return null;
                default:
                    _broken = true;
                    Statistics.CountViolation();
                    throw new FramingException(status, status switch
                    {
                        FrameStatus.Truncated => "the connection ended inside a frame",
                        FrameStatus.BadLength => $"a frame length outside {FrameCodec.MinLength}–{FrameCodec.MaxLength} bytes",
                        FrameStatus.BadMagic => "a frame without the protocol's magic bytes",
                        FrameStatus.UnsupportedVersion => $"a frame of a protocol version other than {FrameCodec.Version}",
                        _ => status.ToString(),
                    });
            }
            long receivedAt = MonotonicClock.NowMicros;
            if (!_incoming.Accept(frame!.Sequence))
            {
                Statistics.CountOutOfOrder();
                continue;
            }
            IMessage? message;
            try
            {
                message = Messages.Decode(frame);
            }
            catch (MalformedMessageException)
            {
                Statistics.CountMalformed();
                continue;
            }
            if (message is null)
            {
                Statistics.CountUnknownType();
                continue;
            }
            Statistics.CountAccepted();
            return new Incoming(message, frame.Sequence, frame.TimestampMicros, receivedAt);
        }
    }

    public void Dispose()
    {
        _broken = true;
        _stream.Dispose();
    }
}
