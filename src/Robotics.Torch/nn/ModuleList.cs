using static Robotics.Torch.torch;

namespace Robotics.Torch.Modules;

/// <summary>An indexable list of submodules, registered as "0", "1"... (no forward of its own).</summary>
public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
{
    private readonly List<T> items = new();

    public ModuleList(params IEnumerable<T> modules)
    {
        foreach (var m in modules) append(m);
    }

    public ModuleList<T> append(T module)
    {
        register_module(items.Count.ToString(), module);
        items.Add(module);
        return this;
    }

    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
