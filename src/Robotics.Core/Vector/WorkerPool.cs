namespace Robotics.Core.Vector;

/// <summary>
/// Runs a job over index ranges on dedicated threads; the caller's thread takes the first range itself, so two
/// workers cost one hand-off. The events spin before they block because an env step is ~100 µs, comparable to a
/// thread wake-up, and spinning on both cores is what makes 2 workers near 2× faster.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _go, _done;
    private readonly Exception?[] _errors;
    private readonly (int Start, int End)[] _ranges;
    private Action<int>? _job;
    private volatile bool _stopping;

    public int Workers => _ranges.Length;

    public WorkerPool(int items, int workers)
    {
        workers = Math.Clamp(workers, 1, Math.Max(1, items));
        _ranges = new (int, int)[workers];
        for (int w = 0; w < workers; w++) _ranges[w] = (w * items / workers, (w + 1) * items / workers);
        _go = new ManualResetEventSlim[workers];
        _done = new ManualResetEventSlim[workers];
        _errors = new Exception?[workers];
        _threads = new Thread[workers];
        for (int w = 1; w < workers; w++)
        {
            _go[w] = new ManualResetEventSlim(false, spinCount: 2047);
            _done[w] = new ManualResetEventSlim(false, spinCount: 2047);
            int id = w;
            _threads[w] = new Thread(() => Loop(id)) { IsBackground = true, Name = $"vector-env-worker-{w}" };
            _threads[w].Start();
        }
    }

    /// <summary>Calls job(i) for every item, each exactly once; rethrows the first worker failure.</summary>
    public void Run(Action<int> job)
    {
        _job = job;
        for (int w = 1; w < Workers; w++) _go[w].Set();
        RunRange(0);
        for (int w = 1; w < Workers; w++) { _done[w].Wait(); _done[w].Reset(); }
        _job = null;
        foreach (var e in _errors)
            if (e != null)
            {
                Array.Clear(_errors);
                throw new InvalidOperationException($"a vector-env worker failed: {e.Message}", e);
            }
    }

    private void RunRange(int w)
    {
        try
        {
            for (int i = _ranges[w].Start; i < _ranges[w].End; i++) _job!(i);
        }
        catch (Exception e)
        {
            _errors[w] = e;
        }
    }

    private void Loop(int w)
    {
        while (true)
        {
            _go[w].Wait();
            _go[w].Reset();
            if (_stopping) return;
            RunRange(w);
            _done[w].Set();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        for (int w = 1; w < Workers; w++) _go[w].Set();
        for (int w = 1; w < Workers; w++) { _threads[w].Join(); _go[w].Dispose(); _done[w].Dispose(); }
    }
}
