using System.CommandLine;
using Robotics.Envs;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Programs;
using Robotics.Rewards.Sandbox;
using Robotics.Rewards.States;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo reward …`: reward programs (Text2Reward). `template` prints a program to start from, `check` compiles one
/// in the sandbox and tries it on states of the task, `generate` asks an LLM for one and repairs it until it passes.
/// </summary>
public static class RewardCommand
{
    public static Command Create()
    {
        var command = new Command("reward", "reward programs: template, check, generate (Text2Reward)");
        command.Subcommands.Add(Template());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Generate());
        return command;
    }

    private static Option<string> TaskOption() => new("--task") { Description = "task name (see `robo tasks`)", Required = true };

    /// <summary>`robo reward template --task T`: a compilable program whose Compute body is `return 0.0;`.</summary>
    private static Command Template()
    {
        var task = TaskOption();
        var command = new Command("template", "print a reward program to fill in for a task") { task };
        command.SetAction(parse =>
        {
            Console.Write(ProgramTemplate.For(FrankaSuite.CreateTask(parse.GetValue(task)!)));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// `robo reward check FILE.cs --task T`: compiles in the sandbox, evaluates on the task's check states (expert
    /// episode, random actions, a degenerate state), prints each reward beside the task's own, and ends with a JSON
    /// line. Exit 1 when the program is refused or fails on a state, with the reasons.
    /// </summary>
    private static Command Check()
    {
        var file = new Argument<FileInfo>("file") { Description = "the reward program (.cs)" };
        var task = TaskOption();
        var seed = new Option<int>("--seed") { Description = "seed of the episodes the check states come from", DefaultValueFactory = _ => 0 };
        var command = new Command("check", "compile a reward program in the sandbox and evaluate it on states of the task") { file, task, seed };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            var taskName = parse.GetValue(task)!;
            FrankaSuite.CreateTask(taskName);
            if (!File.Exists(path)) throw new FileNotFoundException($"reward program not found: '{path}'", path);
            var compiled = new ProgramCompiler().Compile(File.ReadAllText(path));
            if (compiled.Program is not { } program)
            {
                Console.WriteLine($"refused: {Path.GetFileName(path)}");
                foreach (var d in compiled.Diagnostics) Console.WriteLine($"  {d}");
                JsonOutput.PrintLine(new { ok = false, file = path, task = taskName, errors = compiled.Diagnostics.Select(d => d.ToString()).ToArray() });
                return 1;
            }
            using (program)
            {
                var report = ProgramCheck.Run(program, CheckStates.Collect(taskName, parse.GetValue(seed)));
                Console.WriteLine($"{Path.GetFileName(path)} on {taskName}: compiled in {compiled.Elapsed.TotalMilliseconds:F0} ms");
                Console.WriteLine($"  {"state",-36} {"program",10} {"task",10}");
                foreach (var s in report.States)
                    Console.WriteLine($"  {s.Label,-36} {(s.Reward is double r ? r.ToString("F4") : "FAILED"),10} {s.TaskReward,10:F4}");
                if (!report.Ok) Console.WriteLine(report.Describe());
                JsonOutput.PrintLine(new
                {
                    ok = report.Ok, file = path, task = taskName, compile_ms = Math.Round(compiled.Elapsed.TotalMilliseconds, 1),
                    states = report.States.Select(s => new { label = s.Label, reward = s.Reward, task_reward = s.TaskReward, error = s.Failure?.Describe() }).ToArray(),
                });
                return report.Ok ? 0 : 1;
            }
        });
        return command;
    }

    /// <summary>
    /// `robo reward generate --task T --instruction "…"`: prompt → LLM → compile → check, repaired for up to
    /// --rounds rounds; with --program and --feedback, a refinement of an existing program. Prompts, replies and the
    /// accepted program go to the run directory; the JSON line names the program. Exit 1 when no round passed.
    /// </summary>
    private static Command Generate()
    {
        var task = TaskOption();
        var instruction = new Option<string?>("--instruction") { Description = "the goal in words (default: the task's own instruction)" };
        var model = new Option<string?>("--model") { Description = $"model name (default: $OPENAI_MODEL or {LlmSettings.DefaultModel})" };
        var baseUrl = new Option<string?>("--base-url") { Description = "OpenAI-compatible server (default: $OPENAI_BASE_URL or OpenAI's), e.g. http://localhost:11434/v1" };
        var rounds = new Option<int>("--rounds") { Description = "rounds in all: the first answer, then repairs from its errors", DefaultValueFactory = _ => 3 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/reward__{task}__{time})" };
        var examples = new Option<FileInfo[]>("--example") { Description = "a program to show as an example (repeatable); its first '// Instruction:' comment is its instruction", AllowMultipleArgumentsPerToken = false };
        var previous = new Option<FileInfo?>("--program") { Description = "a program to refine (with --feedback)" };
        var feedback = new Option<string?>("--feedback") { Description = "what a person wants changed in --program's reward" };
        var save = new Option<FileInfo?>("--save") { Description = "also copy the accepted program here" };
        var timeout = new Option<int>("--timeout") { Description = "seconds per LLM request attempt", DefaultValueFactory = _ => 180 };
        var retries = new Option<int>("--retries") { Description = "retries per LLM request (timeouts, 429, 5xx)", DefaultValueFactory = _ => 3 };
        var command = new Command("generate", "ask an LLM for a reward program, compile and check it, repair it from its errors")
            { task, instruction, model, baseUrl, rounds, output, examples, previous, feedback, save, timeout, retries };
        command.SetAction(parse =>
        {
            var taskName = parse.GetValue(task)!;
            var frankaTask = FrankaSuite.CreateTask(taskName);
            if ((parse.GetValue(previous) is null) != (parse.GetValue(feedback) is null))
                throw new ArgumentException("refining needs both --program (the program trained with) and --feedback (what to change)");
            var settings = LlmSettings.FromEnvironment(parse.GetValue(model), parse.GetValue(baseUrl)) with
            {
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                MaxRetries = parse.GetValue(retries),
            };
            var runDir = parse.GetValue(output)?.FullName ?? Path.Combine("runs", $"reward__{taskName}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
            var result = RunGeneration(new GenerationSettings(taskName, parse.GetValue(instruction) ?? frankaTask.Instruction, settings, parse.GetValue(rounds), runDir)
            {
                Examples = (parse.GetValue(examples) ?? []).Select(f => Example(f.FullName)).ToList(),
                PreviousProgram = parse.GetValue(previous) is { } p ? File.ReadAllText(p.FullName) : null,
                Feedback = parse.GetValue(feedback),
                Log = line => Console.WriteLine(line),
            });
            var programPath = Path.GetFullPath(Path.Combine(runDir, RewardProgramFile.ProgramFile));
            if (result.Ok && parse.GetValue(save) is { } copy) File.Copy(programPath, copy.FullName, overwrite: true);
            if (!result.Ok) Console.WriteLine($"no program passed in {result.Rounds.Count} rounds; the last errors:\n{result.LastErrors}");
            JsonOutput.PrintLine(new
            {
                ok = result.Ok, task = taskName, model = settings.Model, base_url = settings.BaseUrl, rounds = result.Rounds.Count,
                run_dir = Path.GetFullPath(runDir), program = result.Ok ? programPath : null,
                rewards = result.Check?.States.Select(s => new { label = s.Label, reward = s.Reward, task_reward = s.TaskReward }).ToArray(),
            });
            return result.Ok ? 0 : 1;
        });
        return command;
    }

    /// <summary>What one Text2Reward generation needs; `reward generate` and experiments with source: text2reward share it.</summary>
    public sealed record GenerationSettings(string Task, string Instruction, LlmSettings Llm, int Rounds, string RunDirectory)
    {
        public IReadOnlyList<FewShotExample> Examples { get; init; } = [];
        public string? PreviousProgram { get; init; }
        public string? Feedback { get; init; }
        public Action<string>? Log { get; init; }
    }

    /// <summary>Prompt → LLM → compile → check, with repairs; the accepted program lands in RunDirectory/reward/program.cs.</summary>
    public static GenerationResult RunGeneration(GenerationSettings s)
    {
        var task = FrankaSuite.CreateTask(s.Task);
        var request = new GenerationRequest(task, s.Instruction, CheckStates.Collect(s.Task))
        {
            MaxRounds = s.Rounds, Examples = s.Examples, PreviousProgram = s.PreviousProgram, HumanFeedback = s.Feedback,
        };
        var generator = new RewardGenerator(new OpenAIChatModel(s.Llm), new ProgramCompiler()) { Log = s.Log };
        return generator.GenerateAsync(request, new GenerationRecorder(s.RunDirectory)).GetAwaiter().GetResult();
    }

    /// <summary>An example program file; a leading `// Instruction: …` comment says what it rewards.</summary>
    private static FewShotExample Example(string path)
    {
        var source = File.ReadAllText(path);
        var line = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("// Instruction:", StringComparison.OrdinalIgnoreCase));
        return new FewShotExample(line is null ? Path.GetFileNameWithoutExtension(path) : line["// Instruction:".Length..].Trim(), source);
    }
}
