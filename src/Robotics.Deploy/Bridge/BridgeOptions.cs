namespace Robotics.Deploy.Bridge;

/// <summary>How `robo bridge sim` serves: the task, the address, the simulated link and sensors, and its deadlines.</summary>
public sealed record BridgeOptions
{
    public required string Task { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 = any free port (read it back from <see cref="SimBridge.Port"/>).</summary>
    public int Port { get; init; }
    /// <summary>Applied to each direction: states and heartbeat replies out, commands and heartbeats in.</summary>
    public LinkImpairments Link { get; init; } = new();
    /// <summary>Std of Gaussian noise on measured positions (m or rad).</summary>
    public double ObservationNoise { get; init; }
    /// <summary>Seeds the link's delays and losses, the sensor noise, and episodes reset without a seed.</summary>
    public int Seed { get; init; }
    /// <summary>Commands computed from a state older than this (the bridge's clock, from when it made the state) are discarded.</summary>
    public int CommandMaxAgeMs { get; init; } = 250;
    /// <summary>No valid command for this long: joint targets are dropped and the arm holds where it is.</summary>
    public int WatchdogMs { get; init; } = 250;
    /// <summary>A connection must say Hello within this.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A controller silent for this long (not even heartbeats) is disconnected, freeing the robot.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Stop after this many controller sessions have ended (0 = serve until stopped).</summary>
    public int MaxSessions { get; init; }

    public void Validate()
    {
        Link.Validate();
        if (Port is < 0 or > 65535) throw new ArgumentException($"port {Port} is outside 0–65535");
        if (!(ObservationNoise >= 0) || !double.IsFinite(ObservationNoise)) throw new ArgumentException($"observation noise must be a finite number ≥ 0, got {ObservationNoise}");
        if (CommandMaxAgeMs is <= 0 or > ushort.MaxValue) throw new ArgumentException($"the command age limit must be 1–{ushort.MaxValue} ms, got {CommandMaxAgeMs}");
        if (WatchdogMs is <= 0 or > ushort.MaxValue) throw new ArgumentException($"the watchdog deadline must be 1–{ushort.MaxValue} ms, got {WatchdogMs}");
        if (MaxSessions < 0) throw new ArgumentException($"max sessions must be ≥ 0, got {MaxSessions}");
    }
}
