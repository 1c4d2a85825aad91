using System.CommandLine;
using System.Runtime.InteropServices;
using Robotics.Deploy.Bridge;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo bridge sim --task T --port P [--latency-ms L --jitter-ms J --drop P --obs-noise S --seed S]`: a simulated
/// robot bridge serving the deployment protocol (docs/protocol.md) over the MuJoCo Franka, until Ctrl-C, SIGTERM or
/// --max-sessions; its last line is a JSON summary of what it served.
/// </summary>
public static class BridgeCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "task the simulated cell is set up for (see `robo tasks`)", Required = true };
        var host = new Option<string>("--host") { Description = "address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port; the chosen one is printed)", Required = true };
        var latency = new Option<double>("--latency-ms") { Description = "added delay of every message, each direction (ms)", DefaultValueFactory = _ => 0 };
        var jitter = new Option<double>("--jitter-ms") { Description = "extra uniform random delay, 0..J ms (reorders messages when larger than their spacing)", DefaultValueFactory = _ => 0 };
        var drop = new Option<double>("--drop") { Description = "probability of losing each state, command and heartbeat (0–1)", DefaultValueFactory = _ => 0 };
        var noise = new Option<double>("--obs-noise") { Description = "std of Gaussian noise on measured positions (m, rad)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "seeds delays, losses, noise and unseeded episodes", DefaultValueFactory = _ => 0 };
        var maxAge = new Option<int>("--command-max-age-ms") { Description = "discard commands computed from states older than this", DefaultValueFactory = _ => 250 };
        var watchdog = new Option<int>("--watchdog-ms") { Description = "hold when no valid command arrives for this long", DefaultValueFactory = _ => 250 };
        var maxSessions = new Option<int>("--max-sessions") { Description = "exit after this many controller sessions (0 = serve until stopped)", DefaultValueFactory = _ => 0 };
        var sim = new Command("sim", "serve the protocol over the MuJoCo Franka, with simulated latency, jitter, loss and sensor noise")
            { task, host, port, latency, jitter, drop, noise, seed, maxAge, watchdog, maxSessions };
        sim.SetAction(parse =>
        {
            var options = new BridgeOptions
            {
                Task = parse.GetValue(task)!, Host = parse.GetValue(host)!, Port = parse.GetValue(port),
                Link = new LinkImpairments(parse.GetValue(latency), parse.GetValue(jitter), parse.GetValue(drop)),
                ObservationNoise = parse.GetValue(noise), Seed = parse.GetValue(seed),
                CommandMaxAgeMs = parse.GetValue(maxAge), WatchdogMs = parse.GetValue(watchdog), MaxSessions = parse.GetValue(maxSessions),
            };
            using var bridge = new SimBridge(options).Start();
            var address = $"tcp://{options.Host}:{bridge.Port}";
            Console.Error.WriteLine($"robo bridge: serving task {options.Task} on {address} " +
                                    $"(latency {options.Link.LatencyMs} ms, jitter {options.Link.JitterMs} ms, drop {options.Link.DropProbability}, obs noise {options.ObservationNoise})");
            var started = DateTime.UtcNow;
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                bridge.Stop();
            };
            Console.CancelKeyPress += onCancel;
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                bridge.Stop();
            });
            try
            {
                bridge.Completion.Wait();
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            JsonOutput.PrintLine(new
            {
                task = options.Task, address, seconds = Math.Round((DateTime.UtcNow - started).TotalSeconds, 2),
                latency_ms = options.Link.LatencyMs, jitter_ms = options.Link.JitterMs, drop = options.Link.DropProbability,
                obs_noise = options.ObservationNoise, statistics = bridge.Statistics.ToDictionary(),
            });
            return 0;
        });
        return new Command("bridge", "robot bridges for robo deploy") { sim };
    }
}
