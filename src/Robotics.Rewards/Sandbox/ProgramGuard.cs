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
/// creates passes through <see cref="Track{T}"/>. The budget lives in thread-statics: programs have no mutable state
/// of their own, so one compiled program serves every env thread at once. Outside <see cref="Begin"/>/<see cref="End"/>
/// the budget is empty, so program code can run only under a budget (a type initializer included).
/// Public only because the generated code calls it; reward programs themselves may not name it.
/// </summary>
public static class ProgramGuard
{
    /// <summary>Steps between wall-clock checks: the fast path is one decrement and one branch.</summary>
    private const int CheckInterval = 4096;

    [ThreadStatic] private static long t_untilCheck;
    [ThreadStatic] private static long t_stepsLeft;
    [ThreadStatic] private static int t_depth;
    [ThreadStatic] private static int t_maxDepth;
    [ThreadStatic] private static long t_bytesLeft;
    /// <summary>Stopwatch ticks; 0 until the first wall-clock check, so a short call never reads the clock.</summary>
    [ThreadStatic] private static long t_deadline;
    [ThreadStatic] private static long t_maxTicks;
    [ThreadStatic] private static bool t_active;

    /// <summary>One loop iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tick()
    {
        if (--t_untilCheck < 0) Refill();
    }

    /// <summary>Entry of a program method: a step, and one level deeper.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        if (++t_depth > t_maxDepth) DepthExceeded();
        if (--t_untilCheck < 0) Refill();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit() => t_depth--;

    /// <summary>Charges a new array to the call's allocation budget.</summary>
    public static T[] Track<T>(T[] array)
    {
        long bytes = 32 + (long)array.Length * Unsafe.SizeOf<T>(); // header + elements (references count 8 bytes)
        t_bytesLeft -= bytes;
        if (t_bytesLeft < 0)
        {
            if (!t_active) throw NoBudget();
            throw new ProgramLimitException(LimitKind.Allocation, $"allocated more than the budget of arrays per call (the last array: {array.Length} elements)");
        }
        return array;
    }

    /// <summary>Opens a budget for one call on this thread.</summary>
    internal static void Begin(SandboxLimits limits)
    {
        t_active = true;
        t_depth = 0;
        t_maxDepth = limits.MaxCallDepth;
        t_bytesLeft = limits.MaxAllocatedBytes;
        long first = Math.Min(CheckInterval, limits.MaxSteps);
        t_untilCheck = first;
        t_stepsLeft = limits.MaxSteps - first;
        // Reading the clock costs as much as a whole reward call on some VMs, so the deadline starts at the first
        // check, CheckInterval steps in: the backstop then fires at most that many steps late.
        t_deadline = 0;
        t_maxTicks = (long)(limits.MaxTime.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Closes the budget, also after a failure (the unwound frames never ran their Exit).</summary>
    internal static void End()
    {
        t_active = false;
        t_untilCheck = 0;
        t_stepsLeft = 0;
        t_depth = 0;
        t_maxDepth = 0;
        t_bytesLeft = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Refill()
    {
        if (!t_active) throw NoBudget();
        long now = Stopwatch.GetTimestamp();
        if (t_deadline == 0) t_deadline = now + t_maxTicks;
        else if (now > t_deadline)
            throw new ProgramLimitException(LimitKind.Time, "ran past its time budget (an endless or very long loop)");
        if (t_stepsLeft <= 0)
            throw new ProgramLimitException(LimitKind.Steps, "ran out of its step budget (loop iterations and calls per reward call): an endless or very long loop");
        long chunk = Math.Min(CheckInterval, t_stepsLeft);
        t_stepsLeft -= chunk;
        t_untilCheck = chunk - 1; // this call consumed one
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DepthExceeded()
    {
        if (!t_active) throw NoBudget();
        throw new ProgramLimitException(LimitKind.CallDepth, $"called itself more than {t_maxDepth} levels deep (unbounded recursion)");
    }

    private static ProgramLimitException NoBudget() =>
        new(LimitKind.NoBudget, "program code ran outside a reward call (e.g. from a type initializer on another thread)");
}
