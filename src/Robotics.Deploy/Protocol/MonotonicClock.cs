using System.Diagnostics;

namespace Robotics.Deploy.Protocol;

/// <summary>
/// Microseconds on this machine's monotonic clock (Stopwatch), the time base of every frame this side stamps. Wall
/// clocks jump (NTP, daylight saving); a monotonic one does not, and the protocol never compares clocks of two machines.
/// </summary>
public static class MonotonicClock
{
    public static long NowMicros => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
}
