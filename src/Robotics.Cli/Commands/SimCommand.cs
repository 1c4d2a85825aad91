using System.CommandLine;
using Robotics.MuJoCo;

namespace Robotics.Cli.Commands;

/// <summary>`robo sim MODEL.xml --steps N`: zero controls, N steps; the final qpos is the last line, exactly.</summary>
public static class SimCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "MJCF model file" };
        var steps = new Option<int>("--steps") { Description = "physics steps to take", DefaultValueFactory = _ => 1000 };
        var command = new Command("sim", "step a model with zero controls and print its final qpos as JSON") { model, steps };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(steps);
            if (n < 0) throw new ArgumentException($"--steps must be non-negative, got {n}");
            using var m = MjModel.FromXmlFile(parse.GetValue(model)!.FullName);
            using var d = new MjData(m);
            d.Step(n);
            Console.WriteLine(JsonOutput.ExactArray(d.Qpos));
            return 0;
        });
        return command;
    }
}
