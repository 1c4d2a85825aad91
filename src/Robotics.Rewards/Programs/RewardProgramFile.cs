using Robotics.Core.Envs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Programs;

/// <summary>A reward program file the sandbox refused; the message lists the reasons with their lines.</summary>
public sealed class RewardProgramRefusedException(string path, CompileResult result)
    : Exception($"reward program '{path}' was refused:\n{result.Describe()}")
{
    public CompileResult Result { get; } = result;
}

/// <summary>
/// A reward program as training uses it: compiled once from its file, its source copied into the run directory
/// (reward/program.cs, which reports show), its failures logged to reward/errors.jsonl, and every env the run makes
/// wrapped so the program's reward replaces the task's. The program is shared by all the envs of the run.
/// </summary>
public sealed class RewardProgramFile : IDisposable
{
    public const string ProgramFile = "reward/program.cs";
    public const string ErrorsFile = "reward/errors.jsonl";

    private RewardProgramFile(string path, CompiledProgram program, RewardErrorLog errors)
    {
        Path = path;
        Program = program;
        Errors = errors;
    }

    public string Path { get; }
    public CompiledProgram Program { get; }
    public RewardErrorLog Errors { get; }

    /// <summary>Compiles the file; with a run directory, keeps its source there and logs failures there.</summary>
    public static RewardProgramFile Load(string path, string? runDirectory = null, ProgramCompiler? compiler = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"reward program not found: '{path}'", path);
        var source = File.ReadAllText(path);
        var result = (compiler ?? new ProgramCompiler()).Compile(source);
        if (result.Program is not { } program) throw new RewardProgramRefusedException(path, result);
        string? errors = null;
        if (runDirectory is not null)
        {
            var kept = System.IO.Path.Combine(runDirectory, ProgramFile);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(kept)!);
            if (System.IO.Path.GetFullPath(kept) != System.IO.Path.GetFullPath(path)) File.WriteAllText(kept, source);
            errors = System.IO.Path.Combine(runDirectory, ErrorsFile);
        }
        return new RewardProgramFile(path, program, new RewardErrorLog(errors));
    }

    /// <summary>The env with the program's reward in place of the task's.</summary>
    public IEnv Wrap(IEnv env) => new RewardSourceWrapper(env, new ProgramRewardSource(Program, Errors));

    public void Dispose()
    {
        Errors.Dispose();
        Program.Dispose();
    }
}
