using System.Globalization;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Iql;
using Robotics.Agents.Ppo;
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
            SacAgent.AlgorithmName => Build(reader, (o, a) => new SacAgent(o, a, new SacConfig { Hidden = Int(reader, "hidden"), Layers = Int(reader, "layers") }), (g, r) => g.Load(r)),
            PpoAgent.AlgorithmName => Build(reader, (o, a) => new PpoAgent(o, a, new PpoConfig
            {
                Hidden = Int(reader, "hidden"), Layers = Int(reader, "layers"),
                NormalizeObservations = reader.GetLong("normalize_observations") != 0,
                ObservationClip = double.Parse(reader.Get("observation_clip"), CultureInfo.InvariantCulture),
            }), (g, r) => g.Load(r)),
            IqlAgent.AlgorithmName => Build(reader, (o, a) => new IqlAgent(o, a, new IqlConfig
            {
                Hidden = Int(reader, "hidden"), Layers = Int(reader, "layers"), DeterministicActor = reader.Get("actor") == "deterministic",
            }), (g, r) => g.Load(r)),
            BcAgent.AlgorithmName => Build(reader, (o, a) => new BcAgent(o, a, new BcConfig
            {
                Hidden = Int(reader, "hidden"), Layers = Int(reader, "layers"), GaussianActor = reader.Get("actor") == "gaussian",
            }), (g, r) => g.Load(r)),
            var other => throw new InvalidDataException($"checkpoint '{path}' is from '{other}', which this build cannot load"),
        };
        return new LoadedPolicy(policy, reader.Algorithm, reader.Metadata.ToDictionary());
    }

    private static int Int(CheckpointReader reader, string key) => checked((int)reader.GetLong(key));

    /// <summary>Makes the agent with the checkpoint's shapes, then loads it; the agent is freed if loading fails.</summary>
    private static TAgent Build<TAgent>(CheckpointReader reader, Func<int, int, TAgent> make, Action<TAgent, CheckpointReader> load)
        where TAgent : IPolicy, IDisposable
    {
        var agent = make(Int(reader, "observation_size"), Int(reader, "action_size"));
        try
        {
            load(agent, reader);
        }
        catch
        {
            agent.Dispose();
            throw;
        }
        return agent;
    }
}
