using System.CommandLine;
using Robotics.Cli.Commands;

// robo: one command per job; each command group lives in its own file under Commands/.
var root = new RootCommand("robo — robot reinforcement learning on a simulated Franka arm")
{
    SimCommand.Create(),
    RenderCommand.Create(),
    TasksCommand.Create(),
    ExpertCommand.Create(),
    CollectCommand.Create(),
    BenchCommand.Create(),
    RunCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    ViewCommand.Create(),
    RewardCommand.Create(),
    ExportCommand.Create(),
    BridgeCommand.Create(),
    DeployCommand.Create(),
    PrefsCommand.Create(),
    ClipCommand.Create(),
    VlmCommand.Create(),
};
return CommandErrors.Invoke(root, args);
