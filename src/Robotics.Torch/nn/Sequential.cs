using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>
/// Runs its modules in order; children are named "0", "1"... as in PyTorch (or by the names given).
/// Intermediate results are disposed as soon as the next module has consumed them: autograd keeps
/// its own references to what backward needs, so only the output reaches the caller's scope.
/// </summary>
public sealed class Sequential : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> layers = new();

    public Sequential() { }

    public Sequential(params nn.Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) append(m);
    }

    public Sequential(params (string name, nn.Module<Tensor, Tensor> module)[] modules)
    {
        foreach (var (name, m) in modules)
        {
            register_module(name, m);
            layers.Add(m);
        }
    }

    public Sequential append(nn.Module<Tensor, Tensor> module)
    {
        register_module(layers.Count.ToString(), module);
        layers.Add(module);
        return this;
    }

    public int Count => layers.Count;

    public nn.Module<Tensor, Tensor> this[int index] => layers[index];

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
        {
            var y = layer.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y) && x is not Parameter) x.Dispose();
            x = y;
        }
        return x;
    }
}
