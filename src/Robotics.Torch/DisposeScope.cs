namespace Robotics.Torch;

/// <summary>
/// Frees every tensor created on this thread while the scope is open, when the scope is disposed
/// (TorchSharp's pattern): <c>using var scope = torch.NewDisposeScope();</c>. Results that must
/// outlive the scope call <see cref="Tensor.MoveToOuterDisposeScope"/>. Scopes nest per thread;
/// parameters, optimizer state and module buffers are never tracked.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly HashSet<Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The scope that was current when this one opened (where moved tensors go).</summary>
    public DisposeScope? Outer { get; }

    /// <summary>The innermost open scope on this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>How many live tensors this scope will free.</summary>
    public int Count => tensors.Count;

    internal static void Track(Tensor t)
    {
        var s = current;
        if (s is null) return;
        s.tensors.Add(t);
        t.scope = s;
    }

    internal void Forget(Tensor t)
    {
        tensors.Remove(t);
        t.scope = null;
    }

    /// <summary>Hands <paramref name="t"/> to the outer scope (or to nobody, at the outermost level).</summary>
    internal void MoveToOuter(Tensor t)
    {
        Forget(t);
        if (Outer is { disposed: false } o)
        {
            o.tensors.Add(t);
            t.scope = o;
        }
    }

    /// <summary>Moves several results out at once.</summary>
    public void MoveToOuter(params ReadOnlySpan<Tensor> results)
    {
        foreach (var t in results) if (t.scope == this) MoveToOuter(t);
    }

    /// <summary>Frees the tracked tensors now and keeps the scope open.</summary>
    public void DisposeEverything()
    {
        foreach (var t in tensors)
        {
            t.scope = null;
            t.handle.Dispose();
        }
        tensors.Clear();
    }

    /// <summary>
    /// Frees the tracked tensors and closes the scope. Scopes still open inside this one (a
    /// missing <c>using</c>) are closed first, so the thread's scope stack never points at a dead scope.
    /// </summary>
    public void Dispose()
    {
        if (disposed) return;
        while (current is not null && current != this && IsInside(current)) current.Dispose();
        DisposeEverything();
        disposed = true;
        if (current == this) current = Outer;
    }

    private bool IsInside(DisposeScope s)
    {
        for (var o = s.Outer; o is not null; o = o.Outer)
            if (o == this) return true;
        return false;
    }
}
