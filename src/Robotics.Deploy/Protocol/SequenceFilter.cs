namespace Robotics.Deploy.Protocol;

/// <summary>
/// Accepts only sequence numbers above the newest one accepted, so a replayed frame (same number again) and a frame
/// overtaken by a newer one (lower number) are both discarded, while gaps (dropped frames) are fine. Numbers are
/// u32 from 1 on each connection; at 1 kHz they would last 50 days, longer than any session.
/// </summary>
public sealed class SequenceFilter
{
    private uint _newest;

    public uint Newest => _newest;

    public bool Accept(uint sequence)
    {
        if (sequence <= _newest) return false;
        _newest = sequence;
        return true;
    }
}
