namespace Robotics.Torch.Native;

/// <summary>
/// Raw handles of a tensor list for the native calls that take arrays (cat, stack, optimizer
/// groups). Each handle gets a reference while the list lives, as a single SafeHandle argument
/// would, so a disposed tensor fails cleanly here and none can be freed during the call.
/// </summary>
internal ref struct HandleList
{
    private readonly ReadOnlySpan<Tensor?> tensors;
    private readonly Span<IntPtr> handles;
    private int added;

    /// <param name="tensors">The tensors; null entries (optional arguments) become NULL handles.</param>
    /// <param name="storage">Caller-provided space, at least <c>tensors.Length</c> long (stackalloc for short lists).</param>
    public HandleList(ReadOnlySpan<Tensor?> tensors, Span<IntPtr> storage)
    {
        this.tensors = tensors;
        handles = storage[..tensors.Length];
        added = 0;
        try
        {
            for (; added < tensors.Length; added++)
            {
                var t = tensors[added];
                if (t is null) { handles[added] = IntPtr.Zero; continue; }
                bool ok = false;
                t.handle.DangerousAddRef(ref ok);
                handles[added] = t.handle.DangerousGetHandle();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public readonly int Length => handles.Length;

    public readonly ref IntPtr GetPinnableReference() => ref handles.GetPinnableReference();

    public void Dispose()
    {
        for (int k = 0; k < added; k++)
            tensors[k]?.handle.DangerousRelease();
        added = 0;
    }
}
