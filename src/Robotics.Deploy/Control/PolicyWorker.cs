using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Control;

public enum PolicyOutcomeKind { Completed, TimedOut, Failed }

/// <summary>What came of asking the policy: an action, no answer in time, or an exception.</summary>
public readonly record struct PolicyOutcome(PolicyOutcomeKind Kind, float[]? Action, Exception? Error);

/// <summary>
/// Runs the policy on its own thread so the control loop can keep its period, and its watchdog can hold the arm,
/// when a policy call takes too long or hangs: the loop submits a state and waits at most the policy deadline. A
/// late answer is never used: the next submission discards it, since it was computed from an older state.
/// </summary>
public sealed class PolicyWorker : IDisposable
{
    private readonly IDeployPolicy _policy;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _request = new(0);
    private readonly ManualResetEventSlim _done = new(true);
    private readonly CancellationTokenSource _stop = new();
    private readonly float[] _action;
    private RobotState? _state;
    private Exception? _error;

    public PolicyWorker(IDeployPolicy policy)
    {
        _policy = policy;
        _action = new float[policy.Requirements.Scaling.ActionSize];
        _thread = new Thread(Run) { IsBackground = true, Name = "deploy policy" };
        _thread.Start();
    }

    /// <summary>True while a call is still running (possibly one that already missed its deadline).</summary>
    public bool Busy => !_done.IsSet;

    /// <summary>Starts the policy on <paramref name="state"/>; false when the previous call has not returned yet.</summary>
    public bool Submit(RobotState state)
    {
        if (Busy) return false;
        _state = state;
        _error = null;
        _done.Reset();
        _request.Release();
        return true;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the submitted call.</summary>
    public PolicyOutcome Wait(TimeSpan timeout)
    {
        if (!_done.Wait(timeout)) return new PolicyOutcome(PolicyOutcomeKind.TimedOut, null, null);
        return _error is { } e ? new PolicyOutcome(PolicyOutcomeKind.Failed, null, e) : new PolicyOutcome(PolicyOutcomeKind.Completed, (float[])_action.Clone(), null);
    }

    /// <summary>Waits for a running call to return (before Reset, which must not overlap Act); false on timeout.</summary>
    public bool WaitIdle(TimeSpan timeout) => _done.Wait(timeout);

    private void Run()
    {
        try
        {
            while (true)
            {
                _request.Wait(_stop.Token);
                try
                {
                    Array.Clear(_action);
                    _policy.Act(_state!, _action);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                finally
                {
                    _done.Set();
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        // A hung policy keeps its (background) thread; everything else is released.
        _thread.Join(TimeSpan.FromSeconds(1));
    }
}
