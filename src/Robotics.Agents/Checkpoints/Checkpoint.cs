using System.Globalization;
using Robotics.Core.Seeding;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Agents.Checkpoints;

/// <summary>
/// A checkpoint is one safetensors file: every tensor under a dotted prefix ("actor.fc1.weight",
/// "actor_optimizer.state.0.exp_avg") and string metadata (algorithm, shapes, counters, RNG states).
/// Python's safetensors reads it. Writes go to a temporary file renamed into place, so a crash while
/// saving never destroys the previous checkpoint.
/// </summary>
public sealed class CheckpointWriter : IDisposable
{
    public const string FormatVersion = "1";

    private readonly Dictionary<string, Tensor> _tensors = new();
    private readonly List<Tensor> _owned = new();
    private readonly Dictionary<string, string> _metadata = new();

    public CheckpointWriter(string algorithm)
    {
        _metadata["format"] = "robotics.checkpoint";
        _metadata["format_version"] = FormatVersion;
        _metadata["algorithm"] = algorithm;
    }

    public CheckpointWriter Add(string prefix, nn.Module module)
    {
        foreach (var (name, t) in module.state_dict()) _tensors[$"{prefix}.{name}"] = t;
        return this;
    }

    public CheckpointWriter Add(string prefix, optim.Optimizer optimizer)
    {
        // state_dict mixes the optimizer's own moment tensors (which must live on) with new scalars
        // (which the scope frees): copying every one gives the writer tensors it alone owns.
        using var scope = NewDisposeScope();
        foreach (var (name, t) in optimizer.state_dict()) _tensors[$"{prefix}.{name}"] = Own(t.clone().DetachFromDisposeScope());
        return this;
    }

    /// <summary>Adds tensors the writer takes ownership of (disposed with it).</summary>
    public CheckpointWriter AddOwned(string prefix, IReadOnlyDictionary<string, Tensor> tensors)
    {
        foreach (var (name, t) in tensors) _tensors[$"{prefix}.{name}"] = Own(t.DetachFromDisposeScope());
        return this;
    }

    public CheckpointWriter Add(string name, Tensor tensor)
    {
        _tensors[name] = tensor;
        return this;
    }

    public CheckpointWriter Set(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public CheckpointWriter Set(IReadOnlyDictionary<string, string> entries)
    {
        foreach (var (key, value) in entries) _metadata[key] = value;
        return this;
    }

    public CheckpointWriter Set(string key, long value) => Set(key, value.ToString(CultureInfo.InvariantCulture));
    public CheckpointWriter Set(string key, double value) => Set(key, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Stores an RNG's four state words so a resumed run draws the same numbers.</summary>
    public CheckpointWriter Set(string key, Rng rng) => Set(key, string.Join(' ', rng.GetState().Select(w => w.ToString("x16"))));

    /// <summary>Stores libtorch's CPU generator state (action sampling noise).</summary>
    public CheckpointWriter AddTorchRngState() => AddOwned("rng", new Dictionary<string, Tensor> { ["torch_cpu"] = get_rng_state() });

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        SafeTensors.Save(temporary, _tensors, _metadata);
        File.Move(temporary, path, overwrite: true);
    }

    private Tensor Own(Tensor t)
    {
        _owned.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _owned) t.Dispose();
    }
}

/// <summary>Reads a checkpoint written by <see cref="CheckpointWriter"/>, checking it belongs to the algorithm loading it.</summary>
public sealed class CheckpointReader : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;
    private readonly Dictionary<string, string> _metadata;

    public string Path { get; }
    public string Algorithm => _metadata["algorithm"];
    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    private CheckpointReader(string path, Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) =>
        (Path, _tensors, _metadata) = (path, tensors, metadata);

    public static CheckpointReader Open(string path, string? expectedAlgorithm = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{path}' does not exist", path);
        Dictionary<string, Tensor> tensors;
        Dictionary<string, string> metadata;
        try
        {
            (tensors, metadata) = SafeTensors.Load(path);
        }
        catch (Exception e) when (e is TorchException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"'{path}' is not a readable checkpoint: {e.Message}", e);
        }
        var reader = new CheckpointReader(path, tensors, metadata);
        if (!metadata.TryGetValue("format", out var format) || format != "robotics.checkpoint" || !metadata.ContainsKey("algorithm"))
        {
            reader.Dispose();
            throw new InvalidDataException($"'{path}' is a safetensors file but not a robotics checkpoint (no format/algorithm metadata)");
        }
        if (expectedAlgorithm is not null && reader.Algorithm != expectedAlgorithm)
        {
            var algorithm = reader.Algorithm;
            reader.Dispose();
            throw new InvalidDataException($"checkpoint '{path}' was written by {algorithm}, not {expectedAlgorithm}");
        }
        return reader;
    }

    public string Get(string key) =>
        _metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"checkpoint '{Path}' has no '{key}' entry");

    public long GetLong(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);
    public double GetDouble(string key) => double.Parse(Get(key), CultureInfo.InvariantCulture);

    /// <summary>Throws naming both values when the checkpoint's <paramref name="key"/> differs from this run's.</summary>
    public void Expect(string key, object value)
    {
        var mine = Convert.ToString(value, CultureInfo.InvariantCulture);
        var theirs = Get(key);
        if (theirs != mine) throw new InvalidDataException($"checkpoint '{Path}' has {key} = {theirs}, but this agent has {key} = {mine}");
    }

    public void LoadInto(string key, Rng rng) =>
        rng.SetState(Get(key).Split(' ').Select(w => ulong.Parse(w, NumberStyles.HexNumber)).ToArray());

    public IReadOnlyDictionary<string, Tensor> Group(string prefix)
    {
        var p = prefix + ".";
        return _tensors.Where(kv => kv.Key.StartsWith(p, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[p.Length..], kv => kv.Value);
    }

    public bool HasGroup(string prefix) => _tensors.Keys.Any(k => k.StartsWith(prefix + ".", StringComparison.Ordinal));

    public Tensor Tensor(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"checkpoint '{Path}' has no tensor '{name}'");

    public void LoadInto(string prefix, nn.Module module)
    {
        try
        {
            module.load_state_dict(Group(prefix));
        }
        catch (TorchException e)
        {
            throw new InvalidDataException($"checkpoint '{Path}' does not fit this agent's {prefix}: {e.Message}", e);
        }
    }

    public void LoadInto(string prefix, optim.Optimizer optimizer)
    {
        try
        {
            optimizer.load_state_dict(Group(prefix));
        }
        catch (TorchException e)
        {
            throw new InvalidDataException($"checkpoint '{Path}' does not fit this agent's {prefix}: {e.Message}", e);
        }
    }

    public void RestoreTorchRngState() => set_rng_state(Tensor("rng.torch_cpu"));

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
    }
}
