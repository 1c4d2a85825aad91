using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Robotics.Rewards.Sandbox;

/// <summary>Which run-time limit a program hit.</summary>
public enum LimitKind { Steps, CallDepth, Allocation, Time, NoBudget }

/// <summary>Thrown inside a program when it hits a limit; programs cannot catch it (try/catch is refused at compile time).</summary>
public sealed class ProgramLimitException(LimitKind kind, string message) : Exception(message)
{
    public LimitKind Kind { get; } = kind;
}

/// <summary>
/// The run-time half of the sandbox. <see cref="BudgetInjector"/> rewrites every program so each loop iteration calls
/// <see cref="Tick"/>, each method body is bracketed by <see cref="Enter"/>/<see cref="Exit"/>, and each array it
/// creates passes through <see cref="Track{T}"/>. The budget lives in one object per thread: programs have no mutable
/// state of their own, so one compiled program serves every env thread at once. Outside <see cref="Begin"/>/<see cref="End"/>
/// the budget is empty, so program code can run only under a budget (a type initializer included).
/// Public only because the generated code calls it; reward programs themselves may not name it.
/// </summary>
public static class ProgramGuard
{
    /// <summary>Steps between wall-clock checks: the fast path is one decrement and one branch.</summary>
    private const int CheckInterval = 4096;

    /// <summary>One thread's budget; a class behind one thread-static, so a call pays for one thread-local lookup.</summary>
    private sealed class Budget
    {
        public long UntilCheck;   // steps before the next slow-path check
        public long StepsLeft;    // steps after this chunk
        public int Depth, MaxDepth;
        public long BytesLeft;
        public long Deadline;     // Stopwatch ticks; 0 until the first check, so a short call never reads the clock
        public long MaxTicks;
        public bool Active;
    }

    [ThreadStatic] private static Budget? t_budget;

    /// <summary>One loop iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick()
    {
        var b = t_budget;
        if (b is null || --b.UntilCheck < 0) Refill();
    }

    /// <summary>Entry of a program method: a step, and one level deeper.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        var b = t_budget;
        if (b is null || ++b.Depth > b.MaxDepth) DepthExceeded();
        else if (--b.UntilCheck < 0) Refill();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit()
    {
        var b = t_budget;
        if (b is not null) b.Depth--;
    }

    /// <summary>Charges a new array to the call's allocation budget.</summary>
    public static T[] Track<T>(T[] array)
    {
        var b = t_budget;
        if (b is null || !b.Active) throw NoBudget();
        b.BytesLeft -= 32 + (long)array.Length * Unsafe.SizeOf<T>(); // header + elements (references count 8 bytes)
        if (b.BytesLeft < 0)
            throw new ProgramLimitException(LimitKind.Allocation, $"allocated more than the budget of arrays per call (the last array: {array.Length} elements)");
        return array;
    }

    /// <summary>Opens a budget for one call on this thread.</summary>
    internal static void Begin(SandboxLimits limits)
    {
        var b = t_budget ??= new Budget();
        b.Active = true;
        b.Depth = 0;
        b.MaxDepth = limits.MaxCallDepth;
        b.BytesLeft = limits.MaxAllocatedBytes;
        long first = Math.Min(CheckInterval, limits.MaxSteps);
        b.UntilCheck = first;
        b.StepsLeft = limits.MaxSteps - first;
        // Reading the clock costs as much as a whole reward call on some VMs, so the deadline starts at the first
        // check, CheckInterval steps in: the backstop then fires at most that many steps late.
        b.Deadline = 0;
        b.MaxTicks = (long)(limits.MaxTime.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Closes the budget, also after a failure (the unwound frames never ran their Exit).</summary>
    internal static void End()
    {
        var b = t_budget!;
        b.Active = false;
        b.UntilCheck = 0;
        b.StepsLeft = 0;
        b.Depth = 0;
        b.MaxDepth = 0;
        b.BytesLeft = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Refill()
    {
        var b = t_budget;
        if (b is null || !b.Active) throw NoBudget();
        long now = Stopwatch.GetTimestamp();
        if (b.Deadline == 0) b.Deadline = now + b.MaxTicks;
        else if (now > b.Deadline)
            throw new ProgramLimitException(LimitKind.Time, "ran past its time budget (an endless or very long loop)");
        if (b.StepsLeft <= 0)
            throw new ProgramLimitException(LimitKind.Steps, "ran out of its step budget (loop iterations and calls per reward call): an endless or very long loop");
        long chunk = Math.Min(CheckInterval, b.StepsLeft);
        b.StepsLeft -= chunk;
        b.UntilCheck = chunk - 1; // this call consumed one
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DepthExceeded()
    {
        var b = t_budget;
        if (b is null || !b.Active) throw NoBudget();
        throw new ProgramLimitException(LimitKind.CallDepth, $"called itself more than {b.MaxDepth} levels deep (unbounded recursion)");
    }

    private static ProgramLimitException NoBudget() =>
        new(LimitKind.NoBudget, "program code ran outside a reward call (e.g. from a type initializer on another thread)");
}
