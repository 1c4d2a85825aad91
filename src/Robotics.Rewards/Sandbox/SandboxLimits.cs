namespace Robotics.Rewards.Sandbox;

/// <summary>
/// How much a reward program may do, at compile time and per call. Steps are counted, not timed, so whether a program
/// passes does not depend on the machine: one step is one loop iteration or one call of a program method. The wall
/// clock is only a backstop for a step that is somehow slow.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Loop iterations plus method calls per reward call. A million simple iterations take about a millisecond.</summary>
    public long MaxSteps { get; init; } = 1_000_000;
    /// <summary>Nested calls of program methods (recursion), far below what would overflow the stack.</summary>
    public int MaxCallDepth { get; init; } = 64;
    /// <summary>Bytes of arrays a call may allocate in total.</summary>
    public long MaxAllocatedBytes { get; init; } = 1 << 20;
    /// <summary>Wall-clock backstop per call.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Longest array a program may create (its length must be a constant).</summary>
    public int MaxArrayLength { get; init; } = 4096;
    /// <summary>Longest source accepted, in characters: ten times a long reward program.</summary>
    public int MaxSourceLength { get; init; } = 50_000;

    public static SandboxLimits Default { get; } = new();

    public void Validate()
    {
        if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), $"must be positive, got {MaxSteps}");
        if (MaxCallDepth < 1) throw new ArgumentOutOfRangeException(nameof(MaxCallDepth), $"must be positive, got {MaxCallDepth}");
        if (MaxAllocatedBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxAllocatedBytes), $"must be 0 or more, got {MaxAllocatedBytes}");
        if (MaxTime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxTime), $"must be positive, got {MaxTime}");
        if (MaxArrayLength < 0) throw new ArgumentOutOfRangeException(nameof(MaxArrayLength), $"must be 0 or more, got {MaxArrayLength}");
    }
}
