using System.CommandLine;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Spectre.Console;

namespace Robotics.Cli.Commands;

/// <summary>`robo tasks [--json]`: the registered Franka tasks, as a table or as a JSON array for scripts.</summary>
public static class TasksCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print one JSON array of {name, description, model} instead of a table" };
        var command = new Command("tasks", "list the Franka tasks with their instructions and scene files") { json };
        command.SetAction(parse =>
        {
            var tasks = FrankaSuite.Names.Select(FrankaSuite.CreateTask).ToList();
            if (parse.GetValue(json))
            {
                // The model path is resolved as FrankaEnv resolves it, so it names the file an env would load.
                JsonOutput.PrintLine(tasks.Select(t => new
                {
                    name = t.Name, description = t.Instruction, model = Path.GetFullPath(AssetPaths.Resolve(t.ModelFile)),
                }).ToArray());
                return 0;
            }
            var table = new Table().AddColumn("task").AddColumn("instruction").AddColumn("model (under assets/)");
            foreach (var t in tasks) table.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Instruction), Markup.Escape(t.ModelFile));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
