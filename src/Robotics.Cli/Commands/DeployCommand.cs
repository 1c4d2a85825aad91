using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Control;
using Robotics.Deploy.Robots;
using Robotics.Deploy.Safety;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo deploy policy.robo --robot tcp://127.0.0.1:P --rate 20 --duration 30`: runs a policy bundle (or, with
/// `--policy expert --task T`, the task's scripted expert) on a robot through the safety shield, with a live status
/// line on stderr, a JSON-lines log, and a JSON summary as the last line (success, steps, interventions by kind).
/// Ctrl-C or SIGTERM is the operator stop: the robot is told to stop and the summary is still printed.
/// </summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var bundle = new Argument<FileInfo?>("bundle") { Description = "policy bundle written by robo export (.robo)", Arity = ArgumentArity.ZeroOrOne };
        var robot = new Option<string>("--robot") { Description = "robot bridge address, tcp://host:port", Required = true };
        var policy = new Option<string>("--policy") { Description = "bundle (the file given) | expert (the task's scripted expert)", DefaultValueFactory = _ => "bundle" };
        var task = new Option<string?>("--task") { Description = "task of the expert (with --policy expert)" };
        var rate = new Option<double?>("--rate") { Description = "control rate in Hz (default: the bundle's training rate; 20 for the expert)" };
        var duration = new Option<double>("--duration") { Description = "seconds per episode", DefaultValueFactory = _ => 30 };
        var episodes = new Option<int>("--episodes") { Description = "episodes to run", DefaultValueFactory = _ => 1 };
        var seed = new Option<int?>("--seed") { Description = "episode i asks the robot for seed + i (simulators randomise with it)" };
        var untilSuccess = new Option<bool>("--until-success") { Description = "end each episode at its first success" };
        var log = new Option<FileInfo?>("--log") { Description = "JSON-lines log (default: runs/deploy/{task}__{policy}__{unixtime}.jsonl)" };
        var maxSpeed = new Option<double>("--max-ee-speed") { Description = "end-effector speed limit (m/s)", DefaultValueFactory = _ => new SafetyLimits().MaxEndEffectorSpeed };
        var maxAccel = new Option<double>("--max-ee-accel") { Description = "end-effector acceleration limit (m/s²)", DefaultValueFactory = _ => new SafetyLimits().MaxEndEffectorAcceleration };
        var workspace = new Option<string?>("--workspace") { Description = "box tighter than the robot's: x0,y0,z0,x1,y1,z1 (m, world frame)" };
        var stateDeadline = new Option<double>("--state-deadline-ms") { Description = "hold when the newest state may be older than this", DefaultValueFactory = _ => new WatchdogOptions().StateDeadlineMs };
        var stopAfter = new Option<double>("--stop-after-ms") { Description = "stop when fresh state or policy output is missing this long", DefaultValueFactory = _ => new WatchdogOptions().StopAfterMs };
        var command = new Command("deploy", "run a policy on a robot through the safety shield")
            { bundle, robot, policy, task, rate, duration, episodes, seed, untilSuccess, log, maxSpeed, maxAccel, workspace, stateDeadline, stopAfter };
        command.SetAction(parse =>
        {
            var who = parse.GetValue(policy)!;
            var file = parse.GetValue(bundle);
            IDeployPolicy deployed = who switch
            {
                "expert" when file is not null => throw new ArgumentException("give either a bundle or --policy expert, not both"),
                "expert" => new ExpertDeployPolicy(parse.GetValue(task) ?? throw new ArgumentException("--policy expert needs --task T")),
                "bundle" when file is null => throw new ArgumentException("give a policy bundle (robo export CHECKPOINT --out policy.robo) or --policy expert --task T"),
                "bundle" => new BundlePolicy(PolicyBundle.Load(file.FullName)),
                _ => throw new ArgumentException($"unknown --policy '{who}'; use bundle or expert"),
            };
            using (deployed)
            {
                if (who == "bundle" && parse.GetValue(task) is { } t && t != deployed.Requirements.Task)
                    throw new ArgumentException($"the bundle is for task '{deployed.Requirements.Task}', not '{t}'");
                var options = new DeployOptions
                {
                    RateHz = parse.GetValue(rate) ?? deployed.TrainedRateHz ?? 20,
                    DurationSeconds = parse.GetValue(duration), Episodes = parse.GetValue(episodes), Seed = parse.GetValue(seed),
                    StopOnSuccess = parse.GetValue(untilSuccess),
                    Limits = WithWorkspace(new SafetyLimits { MaxEndEffectorSpeed = parse.GetValue(maxSpeed), MaxEndEffectorAcceleration = parse.GetValue(maxAccel) }, parse.GetValue(workspace)),
                    Watchdog = new WatchdogOptions { StateDeadlineMs = parse.GetValue(stateDeadline), StopAfterMs = parse.GetValue(stopAfter) },
                };
                options.Validate();
                var logPath = parse.GetValue(log)?.FullName
                              ?? Path.Combine("runs", "deploy", $"{deployed.Requirements.Task}__{(who == "expert" ? "expert" : Path.GetFileNameWithoutExtension(file!.Name))}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.jsonl");
                using var connection = TcpRobot.Connect(parse.GetValue(robot)!);
                using var deployLog = new DeployLog(logPath);
                var status = new DeployStatusLine();
                var loop = new ControlLoop(connection, deployed, options, deployLog, status.Show);
                Console.Error.WriteLine($"robo deploy: {deployed.Description} on {connection.Capabilities.RobotName} at {options.RateHz:0.##} Hz" +
                                        (deployed.TrainedRateHz is double trained && Math.Abs(trained - options.RateHz) > 1e-6 ? $" (trained at {trained:0.##} Hz)" : "") +
                                        $", log {deployLog.Path}");
                ConsoleCancelEventHandler onCancel = (_, e) =>
                {
                    e.Cancel = true;
                    loop.RequestStop("operator stop (Ctrl-C)");
                };
                Console.CancelKeyPress += onCancel;
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    loop.RequestStop("operator stop (SIGTERM)");
                });
                DeploySummary summary;
                try
                {
                    summary = loop.Run();
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                    status.Finish();
                }
                JsonOutput.PrintLine(new
                {
                    success = summary.Success, success_rate = summary.SuccessRate, success_source = summary.SuccessSource,
                    episodes = summary.Episodes, steps = summary.Steps, interventions = summary.Interventions,
                    intervention_total = summary.InterventionTotal, stopped_by = summary.StoppedBy, stop_reason = summary.StopReason,
                    policy = summary.Policy, task = summary.Task, robot = summary.Robot, rate_hz = summary.RateHz,
                    mean_rate_hz = summary.MeanRateHz, late_steps = summary.LateSteps, seconds = summary.Seconds,
                    round_trip_ms = summary.RoundTripMs, link = summary.Link,
                    episode_results = summary.EpisodeResults.Select(r => new
                    {
                        episode = r.Episode, seed = r.Seed, success = r.Success, steps_to_success = r.StepsToSuccess, steps = r.Steps, stopped_by = r.StoppedBy,
                    }),
                    log = summary.Log,
                });
            }
            return 0;
        });
        return command;
    }

    private static SafetyLimits WithWorkspace(SafetyLimits limits, string? box)
    {
        if (box is null) return limits;
        var numbers = box.Split(',').Select(s => float.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : float.NaN).ToArray();
        if (numbers.Length != 6 || numbers.Any(v => !float.IsFinite(v)))
            throw new ArgumentException($"--workspace takes six numbers x0,y0,z0,x1,y1,z1, got '{box}'");
        return limits with { WorkspaceLow = new Vector3(numbers[0], numbers[1], numbers[2]), WorkspaceHigh = new Vector3(numbers[3], numbers[4], numbers[5]) };
    }
}
