using System.Reflection;
using System.Runtime.Loader;
using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Sandbox;

/// <summary>How a reward call went wrong.</summary>
public enum FailureKind { Exception, NonFinite, Steps, CallDepth, Allocation, Time }

/// <summary>A failed reward call, with the state and action that produced it so the failure can be reproduced and fixed.</summary>
public sealed record ProgramFailure(FailureKind Kind, string Message, FrankaState State, float[] Action)
{
    public string Describe() =>
        $"{Kind}: {Message}\n  state: {State}\n  action: [{string.Join(", ", Action.Select(a => a.ToString("G6")))}]";
}

/// <summary>A reward call's outcome: the reward, or why there is none (no allocation on success).</summary>
public readonly record struct ProgramResult(double Value, ProgramFailure? Failure)
{
    public bool Ok => Failure is null;
}

/// <summary>
/// A program that passed the sandbox, loaded into its own collectible AssemblyLoadContext (Dispose unloads it).
/// <see cref="Evaluate"/> runs it under the per-call budget and turns every way it can fail (a limit, an exception, a
/// NaN or infinite result) into a <see cref="ProgramFailure"/>, so the caller decides what reward to use instead.
/// Safe to call from several threads at once: programs have no mutable state and the budget is per thread.
/// </summary>
public sealed unsafe class CompiledProgram : IDisposable
{
    /// <summary>
    /// The entry point, called through a function pointer rather than a delegate: a delegate to a static method goes
    /// through a shuffle thunk, which costs a measurable share of a reward as cheap as reach's. The pointer does not
    /// keep the assembly alive; <see cref="_entry"/> does, until Dispose unloads it.
    /// </summary>
    private delegate*<in FrankaState, ReadOnlySpan<float>, double> _function;
    private MethodInfo? _entry;
    private readonly AssemblyLoadContext _context;

    internal CompiledProgram(string source, MethodInfo entry, AssemblyLoadContext context, SandboxLimits limits)
    {
        Source = source;
        _entry = entry;
        _function = (delegate*<in FrankaState, ReadOnlySpan<float>, double>)entry.MethodHandle.GetFunctionPointer();
        _context = context;
        Limits = limits;
    }

    public string Source { get; }
    public SandboxLimits Limits { get; }

    /// <summary>The program's load context, for tests that check it is unloaded after Dispose.</summary>
    internal AssemblyLoadContext LoadContext => _context;

    public ProgramResult Evaluate(in FrankaState state, ReadOnlySpan<float> action)
    {
        var function = _function;
        if (function == null) throw new ObjectDisposedException(nameof(CompiledProgram));
        ProgramGuard.Begin(Limits);
        try
        {
            double value = function(in state, action);
            return double.IsFinite(value)
                ? new ProgramResult(value, null)
                : Fail(FailureKind.NonFinite, $"returned {value}", state, action);
        }
        catch (ProgramLimitException e)
        {
            return Fail(e.Kind switch
            {
                LimitKind.CallDepth => FailureKind.CallDepth,
                LimitKind.Allocation => FailureKind.Allocation,
                LimitKind.Time => FailureKind.Time,
                _ => FailureKind.Steps,
            }, e.Message, state, action);
        }
        catch (Exception e)
        {
            // A program's static readonly initializer that fails surfaces wrapped; its cause is what needs fixing.
            var cause = e is TypeInitializationException { InnerException: { } inner } ? inner : e;
            if (cause is ProgramLimitException limit) return Fail(FailureKind.Steps, limit.Message, state, action);
            return Fail(FailureKind.Exception, $"{cause.GetType().Name}: {cause.Message}", state, action);
        }
        finally
        {
            ProgramGuard.End();
        }
    }

    private static ProgramResult Fail(FailureKind kind, string message, in FrankaState state, ReadOnlySpan<float> action) =>
        new(0, new ProgramFailure(kind, message, state, action.ToArray()));

    public void Dispose()
    {
        if (_entry is null) return;
        _function = null;
        _entry = null;
        _context.Unload();
    }
}
