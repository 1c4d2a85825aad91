namespace Robotics.Deploy.Protocol;

/// <summary>
/// An upper bound on how old a robot-stamped message is, without synchronised clocks. A heartbeat sent at local time
/// t0 is answered with the robot's time tr, which happened at local time tr + δ (δ = local − robot clock) somewhere in
/// [t0, t1], t1 = receipt. So δ ≥ t0 − tr for every sample, and a message stamped ts was made at local time ≥ ts + L,
/// L = max(t0 − tr): its age is at most now − ts − L. The bound never underestimates, whatever the split of the round
/// trip between the two directions (a symmetric-delay estimate such as NTP's would hide a constant one-way latency);
/// it overestimates by at most the best round trip. Samples older than the window are forgotten, so clock drift
/// (tens of ppm on crystal clocks) cannot accumulate.
/// </summary>
public sealed class RobotClockBound
{
    private readonly (long Local, long Lower)[] _samples;
    private int _count, _next;
    private readonly long _windowMicros;

    public RobotClockBound(int capacity = 64, double windowSeconds = 10)
    {
        _samples = new (long, long)[capacity];
        _windowMicros = (long)(windowSeconds * 1e6);
    }

    public bool HasSample => _count > 0;
    /// <summary>The last sample's round trip (ms).</summary>
    public double? LastRoundTripMs { get; private set; }
    /// <summary>The smallest round trip in the window (ms): the bound's worst-case slack.</summary>
    public double? BestRoundTripMs { get; private set; }

    /// <summary>Adds a request/reply pair: sent at local <paramref name="localSent"/>, stamped <paramref name="robotStamp"/>, received at <paramref name="localReceived"/>.</summary>
    public void AddSample(long localSent, long robotStamp, long localReceived)
    {
        if (localReceived < localSent) return;
        lock (_samples)
        {
            _samples[_next] = (localReceived, localSent - robotStamp);
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
            LastRoundTripMs = (localReceived - localSent) / 1000.0;
            BestRoundTripMs = BestRoundTripMs is double best ? Math.Min(best, LastRoundTripMs.Value) : LastRoundTripMs;
        }
    }

    /// <summary>Upper bound (ms) on the age of a message stamped <paramref name="robotStamp"/>, or null before any sample.</summary>
    public double? AgeUpperBoundMs(long robotStamp, long localNow)
    {
        long? lower = null;
        lock (_samples)
        {
            int newest = (_next - 1 + _samples.Length) % _samples.Length;
            for (int i = 0; i < _count; i++)
            {
                var (local, l) = _samples[i];
                if (i != newest && localNow - local > _windowMicros) continue; // the newest sample always counts
                lower = lower is long m ? Math.Max(m, l) : l;
            }
        }
        return lower is long L ? (localNow - robotStamp - L) / 1000.0 : null;
    }
}
