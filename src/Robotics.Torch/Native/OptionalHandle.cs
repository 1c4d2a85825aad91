namespace Robotics.Torch.Native;

/// <summary>
/// An optional tensor argument (bias, weight, mask) as the native side wants it: NULL when
/// absent, otherwise the raw handle, referenced for as long as this lives (see <see cref="HandleList"/>).
/// Generated SafeHandle marshalling rejects null, hence this.
/// </summary>
internal ref struct OptionalHandle
{
    private readonly Tensor? tensor;
    private bool added;

    public OptionalHandle(Tensor? tensor)
    {
        this.tensor = tensor;
        added = false;
        Ptr = IntPtr.Zero;
        if (tensor is null) return;
        tensor.handle.DangerousAddRef(ref added);
        Ptr = tensor.handle.DangerousGetHandle();
    }

    public IntPtr Ptr { get; }

    public void Dispose()
    {
        if (added) tensor!.handle.DangerousRelease();
        added = false;
    }
}
