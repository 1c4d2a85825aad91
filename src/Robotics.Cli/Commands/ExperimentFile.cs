using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Robotics.Cli.Commands;

/// <summary>An experiment file (YAML). Unknown keys are errors that name the key and its line.</summary>
public sealed class ExperimentFile
{
    public string Name { get; set; } = "experiment";
    public string Task { get; set; } = "reach";
    public string Policy { get; set; } = "expert";
    public int Episodes { get; set; } = 10;
    public int Seed { get; set; }
    public bool Video { get; set; } = true;
    public string? Out { get; set; }

    public static ExperimentFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"experiment file not found: '{path}'", path);
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        ExperimentFile file;
        try
        {
            file = deserializer.Deserialize<ExperimentFile>(File.ReadAllText(path)) ?? new ExperimentFile();
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            throw new InvalidDataException($"{path}, line {e.Start.Line}: {inner}");
        }
        if (file.Policy != "expert")
            throw new InvalidDataException($"{path}: policy '{file.Policy}' is not available yet; the agents (sac, ppo, iql) come with issue 5. Use policy: expert");
        if (file.Episodes < 1) throw new InvalidDataException($"{path}: episodes must be at least 1, got {file.Episodes}");
        return file;
    }
}
