using System.Runtime.InteropServices;

namespace Robotics.Cli.Training;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM (kill, job schedulers) ask a training loop to stop cleanly: it saves a checkpoint and
/// the summary and report are still written. A second signal ends the process at once.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _sigint, _sigterm;

    public CancellationToken Token => _cancel.Token;

    public StopSignal()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested) return;
        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cancel.Dispose();
    }
}
