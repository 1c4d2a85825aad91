using Robotics.Torch.Native;

namespace Robotics.Torch;

public unsafe partial class Tensor
{
    public bool requires_grad
    {
        get => NativeMethods.Tensor_requires_grad(handle) != 0;
        set => TorchException.Check(NativeMethods.Tensor_set_requires_grad(handle, B(value)));
    }

    public Tensor requires_grad_(bool requires_grad = true) => InPlace(NativeMethods.Tensor_set_requires_grad(handle, B(requires_grad)));

    /// <summary>
    /// The accumulated gradient, or null before any backward reached this tensor. Each read
    /// returns a new handle (tracked by the current scope) on the same gradient tensor.
    /// Setting null drops the gradient (PyTorch's <c>p.grad = None</c>).
    /// </summary>
    public Tensor? grad
    {
        get
        {
            TorchException.Check(NativeMethods.Tensor_grad(handle, out var g));
            return WrapOptional(g);
        }
        set
        {
            using var g = new OptionalHandle(value);
            TorchException.Check(NativeMethods.Tensor_set_grad(handle, g.Ptr));
        }
    }

    /// <summary>Keeps the gradient of a non-leaf tensor after backward.</summary>
    public Tensor retain_grad() => InPlace(NativeMethods.Tensor_retain_grad(handle));

    /// <summary>
    /// Back-propagates from this tensor. <paramref name="gradient"/> is required unless the tensor
    /// has one element; <paramref name="retain_graph"/> defaults to <paramref name="create_graph"/>.
    /// </summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false)
    {
        using var g = new OptionalHandle(gradient);
        sbyte retain = retain_graph is null ? (sbyte)-1 : retain_graph.Value ? (sbyte)1 : (sbyte)0;
        TorchException.Check(NativeMethods.Tensor_backward(handle, g.Ptr, retain, B(create_graph)));
    }

    /// <summary>Same data, cut from the autograd graph.</summary>
    public Tensor detach() => Wrap(NativeMethods.Tensor_detach(handle));

    /// <summary>
    /// Replaces this tensor's data with <paramref name="data"/>'s, keeping its identity (handle,
    /// gradient slot, optimizer references): how parameters move between devices.
    /// </summary>
    public void set_data(Tensor data) => TorchException.Check(NativeMethods.Tensor_set_data(handle, data.handle));
}
