using System.Globalization;
using System.Text;

namespace Robotics.Torch;

public partial class Tensor
{
    /// <summary>Values are printed up to this many elements; larger tensors show their shape only.</summary>
    private const int PrintedElements = 64;

    /// <summary>PyTorch-like: <c>tensor([[1, 2], [3, 4]], dtype=int64)</c> (copies the values, so not for hot paths).</summary>
    public override string ToString()
    {
        if (IsDisposed) return "tensor(disposed)";
        var dims = shape;
        var t = dtype;
        var suffix = $"dtype={t.Name()}" + (is_cuda ? $", device={device}" : "") + (requires_grad ? ", requires_grad=True" : "");
        if (numel() > PrintedElements) return $"tensor(shape=[{string.Join(", ", dims)}], {suffix})";
        double[] values;
        using (var flat = Wrap(Native.NativeMethods.Tensor_to(handle, (int)ScalarType.Float64, (int)DeviceType.CPU, -1, 0, 0)).DetachFromDisposeScope())
            values = flat.ToArray<double>();
        var sb = new StringBuilder("tensor(");
        int next = 0;
        Append(sb, dims, 0, values, ref next, t);
        return sb.Append(", ").Append(suffix).Append(')').ToString();
    }

    private static void Append(StringBuilder sb, long[] dims, int level, double[] values, ref int next, ScalarType t)
    {
        if (level == dims.Length)
        {
            var v = values[next++];
            sb.Append(t == ScalarType.Bool ? (v != 0 ? "True" : "False") :
                      t.IsFloatingPoint() ? v.ToString("G6", CultureInfo.InvariantCulture) :
                      ((long)v).ToString(CultureInfo.InvariantCulture));
            return;
        }
        sb.Append('[');
        for (long k = 0; k < dims[level]; k++)
        {
            if (k > 0) sb.Append(", ");
            Append(sb, dims, level + 1, values, ref next, t);
        }
        sb.Append(']');
    }
}
