using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjModel
{
    /// <summary>Number of objects of <paramref name="type"/> in the model.</summary>
    public int Count(MjObject type)
    {
        NativeStatus.Check(NativeMethods.rmj_model_count(Handle, (int)type, out var count));
        return count;
    }

    /// <summary>The id of the object called <paramref name="name"/>.</summary>
    /// <exception cref="MuJoCoException">No such object; the message lists some names that do exist.</exception>
    public int GetId(MjObject type, string name)
    {
        if (TryGetId(type, name, out var id)) return id;
        throw new MuJoCoException($"no {type.Noun()} named '{name}' in model '{Name}'{KnownNames(type)}");
    }

    /// <summary>Like <see cref="GetId"/>, but <paramref name="id"/> is -1 (and the result false) when there is no such object.</summary>
    public bool TryGetId(MjObject type, string name, out int id)
    {
        ArgumentNullException.ThrowIfNull(name);
        NativeStatus.Check(NativeMethods.rmj_model_name2id(Handle, (int)type, name, out id));
        return id >= 0;
    }

    /// <summary>The name of object <paramref name="id"/>, or null if it has none.</summary>
    public unsafe string? GetName(MjObject type, int id)
    {
        var count = Count(type);
        if ((uint)id >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"the model has {count} {type.Noun()} object(s)");
        NativeStatus.Check(NativeMethods.rmj_model_id2name(Handle, (int)type, id, out var name));
        return name == null ? null : NativeStatus.Utf8(name);
    }

    /// <summary>All names of <paramref name="type"/>, indexed by id (null for unnamed objects).</summary>
    public IReadOnlyList<string?> Names(MjObject type)
    {
        var names = new string?[Count(type)];
        for (var id = 0; id < names.Length; id++) names[id] = GetName(type, id);
        return names;
    }

    private string KnownNames(MjObject type)
    {
        const int shown = 12;
        var named = Names(type).Where(n => !string.IsNullOrEmpty(n)).ToList();
        if (named.Count == 0) return $" (it has no named {type.Noun()} objects)";
        var list = string.Join(", ", named.Take(shown).Select(n => $"'{n}'"));
        return named.Count > shown ? $" (known: {list}, ... {named.Count - shown} more)" : $" (known: {list})";
    }
}
