using Robotics.Agents.Checkpoints;
using Robotics.Agents.Sac;

namespace Robotics.Agents;

/// <summary>A trained policy read back from any algorithm's checkpoint, with the checkpoint's metadata (task, control, steps).</summary>
public sealed record LoadedPolicy(IPolicy Policy, string Algorithm, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    public string? Task => Metadata.TryGetValue("task", out var t) ? t : null;

    public void Dispose() => (Policy as IDisposable)?.Dispose();
}

/// <summary>Builds the right agent for a checkpoint from its metadata, so evaluation and rendering need only the file.</summary>
public static class PolicyLoader
{
    public static LoadedPolicy Load(string path)
    {
        using var reader = CheckpointReader.Open(path);
        IPolicy policy = reader.Algorithm switch
        {
            SacAgent.AlgorithmName => LoadSac(reader),
            var other => throw new InvalidDataException($"checkpoint '{path}' is from '{other}', which this build cannot load"),
        };
        return new LoadedPolicy(policy, reader.Algorithm, reader.Metadata.ToDictionary());
    }

    private static SacAgent LoadSac(CheckpointReader reader)
    {
        var config = new SacConfig { Hidden = (int)reader.GetLong("hidden"), Layers = (int)reader.GetLong("layers") };
        var agent = new SacAgent((int)reader.GetLong("observation_size"), (int)reader.GetLong("action_size"), config);
        try
        {
            agent.Load(reader);
        }
        catch
        {
            agent.Dispose();
            throw;
        }
        return agent;
    }
}
