using Robotics.Core.Seeding;

namespace Robotics.Deploy.Bridge;

/// <summary>What the simulated network path does to each message: fixed latency, uniform jitter, random loss.</summary>
public sealed record LinkImpairments(double LatencyMs = 0, double JitterMs = 0, double DropProbability = 0)
{
    public bool IsPerfect => LatencyMs == 0 && JitterMs == 0 && DropProbability == 0;

    public void Validate()
    {
        if (!(LatencyMs >= 0) || !double.IsFinite(LatencyMs)) throw new ArgumentException($"latency must be a finite number of ms ≥ 0, got {LatencyMs}");
        if (!(JitterMs >= 0) || !double.IsFinite(JitterMs)) throw new ArgumentException($"jitter must be a finite number of ms ≥ 0, got {JitterMs}");
        if (!(DropProbability is >= 0 and < 1)) throw new ArgumentException($"the drop probability must be in [0, 1), got {DropProbability}");
    }
}

/// <summary>
/// One direction of a simulated network path: each posted item is dropped with the drop probability or delivered
/// after latency + U(0, jitter) by a dedicated thread, in order of due time, so jitter larger than the gap between
/// items reorders them as a real path can (the receiver's sequence check must then discard the late ones).
/// A perfect path delivers on the caller's thread at once.
/// </summary>
public sealed class DelayLine<T> : IDisposable
{
    private readonly LinkImpairments _impairments;
    private readonly Rng _rng;
    private readonly Action<T> _deliver;
    private readonly PriorityQueue<T, (long Due, long Order)> _queue = new();
    private readonly Thread? _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Action? _dropped;
    private long _order;

    /// <param name="rng">draws delays and losses; shared by the bridge's lines, so it is locked while drawing</param>
    /// <param name="dropped">called for each lost item (statistics)</param>
    public DelayLine(LinkImpairments impairments, Rng rng, Action<T> deliver, string name, Action? dropped = null)
    {
        impairments.Validate();
        (_impairments, _rng, _deliver, _dropped) = (impairments, rng, deliver, dropped);
        if (!impairments.IsPerfect)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = name };
            _thread.Start();
        }
    }

    /// <summary>Sends <paramref name="item"/> down the line; only <paramref name="droppable"/> items can be lost.</summary>
    public void Post(T item, bool droppable = true)
    {
        if (_thread is null)
        {
            _deliver(item);
            return;
        }
        double delayMs;
        lock (_rng)
        {
            if (droppable && _impairments.DropProbability > 0 && _rng.NextDouble() < _impairments.DropProbability)
            {
                _dropped?.Invoke();
                return;
            }
            delayMs = _impairments.LatencyMs + _impairments.JitterMs * _rng.NextDouble();
        }
        long due = Protocol.MonotonicClock.NowMicros + (long)(delayMs * 1000);
        lock (_queue) _queue.Enqueue(item, (due, _order++));
        _signal.Release();
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                T item;
                long wait;
                lock (_queue)
                {
                    if (_queue.TryPeek(out item!, out var key))
                    {
                        wait = key.Due - Protocol.MonotonicClock.NowMicros;
                        if (wait <= 0) _queue.Dequeue();
                    }
                    else wait = long.MaxValue;
                }
                if (wait <= 0)
                {
                    _deliver(item);
                    continue;
                }
                // Sleep until the earliest item is due or a new (possibly earlier) one is posted.
                _signal.Wait(wait == long.MaxValue ? Timeout.Infinite : (int)Math.Max(1, wait / 1000), _stop.Token);
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
        _signal.Dispose();
    }
}
