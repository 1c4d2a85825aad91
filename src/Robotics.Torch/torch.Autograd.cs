using Robotics.Torch.Native;

namespace Robotics.Torch;

public static partial class torch
{
    /// <summary><c>torch.autograd</c>.</summary>
    public static class autograd
    {
        /// <summary>
        /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, returned
        /// rather than accumulated into <c>.grad</c>. <paramref name="grad_outputs"/> (optional, entries
        /// may be null) weights each output; with <paramref name="create_graph"/> the result is
        /// differentiable (gradient penalties). Unused inputs give null when <paramref name="allow_unused"/>.
        /// </summary>
        public static unsafe Tensor?[] grad(ReadOnlySpan<Tensor> outputs, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<Tensor> grad_outputs = default,
                                            bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
        {
            if (!grad_outputs.IsEmpty && grad_outputs.Length != outputs.Length)
                throw new TorchException($"grad requires one grad_output per output: got {grad_outputs.Length} for {outputs.Length} outputs");
            Span<IntPtr> b0 = new IntPtr[outputs.Length], b1 = new IntPtr[inputs.Length], b2 = new IntPtr[grad_outputs.Length];
            var result = new IntPtr[inputs.Length];
            using var outs = new HandleList(outputs, b0);
            using var ins = new HandleList(inputs, b1);
            using var gos = new HandleList(grad_outputs, b2);
            sbyte retain = retain_graph is null ? (sbyte)-1 : retain_graph.Value ? (sbyte)1 : (sbyte)0;
            fixed (IntPtr* o = outs)
            fixed (IntPtr* i = ins)
            fixed (IntPtr* g = gos)
            fixed (IntPtr* r = result)
                TorchException.Check(NativeMethods.Autograd_grad(o, outs.Length, i, ins.Length, grad_outputs.IsEmpty ? null : g, retain,
                                                                 create_graph ? (byte)1 : (byte)0, allow_unused ? (byte)1 : (byte)0, r));
            return result.Select(Tensor.WrapOptional).ToArray();
        }

        /// <summary>Accumulates gradients of <paramref name="tensor"/> into the leaves' <c>.grad</c> (same as <c>tensor.backward</c>).</summary>
        public static void backward(Tensor tensor, Tensor? grad_tensor = null, bool? retain_graph = null, bool create_graph = false) =>
            tensor.backward(grad_tensor, retain_graph, create_graph);
    }
}
