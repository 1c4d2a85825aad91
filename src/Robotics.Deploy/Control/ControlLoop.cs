using System.Numerics;
using Robotics.Deploy.Protocol;
using Robotics.Deploy.Robots;
using Robotics.Deploy.Safety;

namespace Robotics.Deploy.Control;

/// <summary>What the live status line shows after each control step.</summary>
public sealed record DeployStatus(
    int Episode, int Episodes, int Step, int Steps, double TimeSeconds, double? StateAgeMs, Vector3? EndEffector,
    float? GoalDistance, string Command, int Interventions, string? LastIntervention, double? RoundTripMs, bool Success);

/// <summary>
/// The deployment control loop. Each period (1 / rate): take the newest state; let the watchdog decide whether it is
/// fresh enough to act on; ask the policy (on its own thread, within the policy deadline); pass the action through
/// the safety shield; send the command; log the step. Anything that goes wrong becomes a hold (stale state, slow or
/// failing policy, NaN action) or a stop (operator, a gap longer than the stop deadline, a lost link), recorded as an
/// intervention with its reason. The robot is told to stop (and latches its hold) when the run ends, however it ends.
/// </summary>
public sealed class ControlLoop
{
    private readonly IRobot _robot;
    private readonly IDeployPolicy _policy;
    private readonly DeployOptions _options;
    private readonly DeployLog? _log;
    private readonly Action<DeployStatus>? _status;
    private readonly Watchdog _watchdog;
    private readonly SafetyShield _shield;

    public InterventionLog Interventions { get; } = new();
    public SafetyShield Shield => _shield;

    /// <summary>Checks that the policy fits the robot (throws <see cref="Bundles.BundleMismatchException"/> otherwise) before anything moves.</summary>
    public ControlLoop(IRobot robot, IDeployPolicy policy, DeployOptions options, DeployLog? log = null, Action<DeployStatus>? status = null)
    {
        options.Validate();
        policy.Requirements.Check(robot.Capabilities, options.RateHz);
        (_robot, _policy, _options, _log, _status) = (robot, policy, options, log, status);
        _watchdog = new Watchdog(options.Watchdog, MonotonicClock.NowMicros);
        _shield = new SafetyShield(options.Limits, robot.Capabilities, policy.Requirements.Scaling, options.Period, Interventions);
    }

    /// <summary>The operator's stop: the next step commands a stop and the run ends. Safe from any thread (Ctrl-C).</summary>
    public void RequestStop(string reason) => _watchdog.RequestOperatorStop(reason);

    public DeploySummary Run()
    {
        var caps = _robot.Capabilities;
        var scaling = _policy.Requirements.Scaling;
        var task = _policy.Requirements.Task;
        if (_log is not null)
        {
            _log.Attach(Interventions);
            _log.Start(_policy.Description, task, caps, _options, _shield.WorkspaceLow, _shield.WorkspaceHigh);
        }
        var judge = SuccessJudge.For(task, caps);
        using var worker = new PolicyWorker(_policy);
        var results = new List<EpisodeResult>();
        long runStart = MonotonicClock.NowMicros;
        long period = (long)Math.Round(1e6 / _options.RateHz);
        var policyDeadline = TimeSpan.FromMilliseconds(Math.Min(_options.Watchdog.PolicyDeadlineMs ?? double.MaxValue, 1000.0 / _options.RateHz));
        int totalSteps = 0, lateSteps = 0;
        double controlSeconds = 0; // time inside episodes' control periods, for the achieved rate
        (InterventionKind Kind, string Reason)? stopped = null;
        string? successSource = null;
        bool warmedUp = false;
        double Seconds() => (MonotonicClock.NowMicros - runStart) / 1e6;

        void EndRun(int episode, int step, InterventionKind kind, string reason)
        {
            stopped = (kind, reason);
            if (!Interventions.All.Any(i => i.Episode == episode && i.Step == step && i.Kind == kind))
                Interventions.Record(new Intervention(episode, step, Seconds(), kind, reason));
        }

        for (int e = 0; e < _options.Episodes && stopped is null; e++)
        {
            int? seed = _options.Seed + e;
            if (_watchdog.OperatorStopped)
            {
                EndRun(e, 0, InterventionKind.OperatorStop, "stopped by the operator before the episode");
                break;
            }
            ReceivedState first;
            try
            {
                first = _robot.StartEpisode(seed, scaling.Mode, _options.ResetTimeout);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                EndRun(e, 0, InterventionKind.ConnectionLost, $"starting episode {e} failed: {ex.Message}");
                break;
            }
            uint robotEpisode = first.State.Episode;
            _log?.Episode(e, seed, robotEpisode);
            successSource ??= first.State.TaskSuccess is not null ? "robot" : judge is not null ? "perceived" : "none";

            if (!warmedUp)
            {
                // The first call loads libraries and JIT-compiles; it must not count against the policy deadline.
                if (!worker.Submit(first.State) || worker.Wait(_options.WarmUpTimeout).Kind != PolicyOutcomeKind.Completed)
                {
                    EndRun(e, 0, InterventionKind.PolicyTimeout, $"the policy did not complete a first call within {_options.WarmUpTimeout.TotalSeconds:0.#} s");
                    break;
                }
                warmedUp = true;
            }
            if (!worker.WaitIdle(TimeSpan.FromSeconds(5)))
            {
                EndRun(e, 0, InterventionKind.PolicyTimeout, "the policy is still running a call from the previous episode");
                break;
            }
            _policy.Reset();
            _shield.Reset();
            judge?.Reset();
            judge?.Judge(first.State); // the first state fixes the episode's initial positions
            _watchdog.Restart(MonotonicClock.NowMicros);

            int? firstSuccess = null;
            int steps = 0;
            uint lastSequence = first.Sequence;
            long start = MonotonicClock.NowMicros;
            for (int k = 0; k < _options.StepsPerEpisode; k++)
            {
                long due = start + k * period;
                SleepUntil(due);
                long now = MonotonicClock.NowMicros;
                if (now - due > period) lateSteps++;
                var at = new ShieldStep(e, k, (now - runStart) / 1e6);
                int before = Interventions.Count;

                var latest = _robot.Latest;
                if (latest is not null && latest.State.Episode != robotEpisode) latest = null;
                double? age = latest is null ? null : _robot.AgeUpperBoundMs(latest, now);
                uint basedOn = latest?.Sequence ?? lastSequence;
                lastSequence = basedOn;
                float[]? action = null;
                RobotCommand command;
                (InterventionKind Kind, string Reason)? stopNow = null;

                if (!_robot.IsConnected)
                {
                    var reason = $"the robot link is down: {_robot.DisconnectReason}";
                    command = _shield.Stop(robotEpisode, basedOn, at, InterventionKind.ConnectionLost, reason);
                    stopNow = (InterventionKind.ConnectionLost, reason);
                }
                else
                {
                    var verdict = _watchdog.CheckState(now, age);
                    if (verdict.Action == WatchdogAction.Proceed && !latest!.State.IsWellFormed(out var problem))
                        verdict = new WatchdogVerdict(WatchdogAction.Hold, InterventionKind.BadState, $"state {latest.Sequence}: {problem}");
                    if (verdict.Action == WatchdogAction.Proceed)
                    {
                        var outcome = worker.Submit(latest!.State)
                            ? worker.Wait(policyDeadline)
                            : new PolicyOutcome(PolicyOutcomeKind.TimedOut, null, null);
                        long answered = MonotonicClock.NowMicros;
                        if (outcome.Kind == PolicyOutcomeKind.Completed)
                        {
                            _watchdog.PolicyAnswered(answered);
                            action = outcome.Action;
                        }
                        else
                        {
                            verdict = outcome.Kind == PolicyOutcomeKind.TimedOut
                                ? _watchdog.PolicyMissed(answered, InterventionKind.PolicyTimeout,
                                    worker.Busy ? $"no action within {policyDeadline.TotalMilliseconds:0.#} ms" : "the policy missed its deadline")
                                : _watchdog.PolicyMissed(answered, InterventionKind.PolicyError, $"the policy threw {outcome.Error!.GetType().Name}: {outcome.Error.Message}");
                        }
                    }
                    command = verdict.Action switch
                    {
                        WatchdogAction.Proceed => _shield.Filter(action!, latest!.State, latest.Sequence, at),
                        WatchdogAction.Hold => _shield.Hold(robotEpisode, basedOn, at, verdict.Kind, verdict.Reason),
                        _ => _shield.Stop(robotEpisode, basedOn, at, verdict.Kind, verdict.Reason),
                    };
                    if (verdict.Action == WatchdogAction.Stop) stopNow = (verdict.Kind, verdict.Reason);
                }

                uint? sent = _robot.IsConnected ? _robot.Send(command) : null;
                if (sent is uint sequence) _shield.Sent(sequence, command);
                if (stopNow is not null && _robot.IsConnected) _robot.Stop(stopNow.Value.Reason);

                bool? success = latest?.State.TaskSuccess ?? (latest is not null ? judge?.Judge(latest.State) : null);
                if (success == true) firstSuccess ??= k;
                var kinds = Interventions.All.Skip(before).Select(i => i.Kind).ToList();
                _log?.Step(new StepRecord(e, k, at.TimeSeconds, latest?.Sequence, age, latest?.State, action, command, sent, success, kinds));
                steps++;
                _status?.Invoke(Status(e, k, at.TimeSeconds, age, latest?.State, command, success ?? false));
                if (stopNow is { } halt)
                {
                    stopped = halt;
                    break;
                }
                if (_options.StopOnSuccess && success == true) break;
            }
            controlSeconds += (MonotonicClock.NowMicros - start) / 1e6;
            if (stopped is null && _robot.IsConnected) _robot.Send(RobotCommand.Hold(robotEpisode, lastSequence));
            var result = new EpisodeResult(e, seed, firstSuccess is not null, firstSuccess + 1, steps, stopped is { } s ? Intervention.Name(s.Kind) : null);
            results.Add(result);
            _log?.EpisodeEnd(result);
            totalSteps += steps;
        }
        if (_robot.IsConnected) _robot.Stop(stopped?.Reason ?? "deployment finished");

        double seconds = Seconds();
        int successes = results.Count(r => r.Success);
        var link = new Dictionary<string, long>(_robot.Statistics.ToDictionary());
        var summary = new DeploySummary
        {
            Policy = _policy.Description, Task = task, Robot = caps.RobotName,
            Success = results.Count == _options.Episodes && successes == results.Count,
            SuccessRate = _options.Episodes == 0 ? 0 : successes / (double)_options.Episodes,
            SuccessSource = successSource ?? "none",
            Episodes = results.Count, Steps = totalSteps,
            Interventions = Interventions.ByKind(), InterventionTotal = Interventions.Count,
            StoppedBy = stopped is { } st ? Intervention.Name(st.Kind) : null, StopReason = stopped?.Reason,
            Seconds = Math.Round(seconds, 3), RateHz = _options.RateHz,
            // Steps over the time their periods spanned: the last step of an episode ends early, so it counts one period.
            MeanRateHz = Math.Round(totalSteps / Math.Max(controlSeconds + results.Count / _options.RateHz, 1e-9), 2), LateSteps = lateSteps,
            EpisodeResults = results, Link = link, RoundTripMs = _robot.RoundTripMs is double rtt ? Math.Round(rtt, 2) : null,
            Log = _log?.Path,
        };
        _log?.Summary(summary);
        _log?.Flush();
        return summary;
    }

    private DeployStatus Status(int episode, int step, double t, double? age, RobotState? state, RobotCommand command, bool success)
    {
        float? goalDistance = state is { } s && (s.Perception.Available & PerceptionItems.Goal) != 0
            ? Vector3.Distance(s.EndEffectorPosition, s.Perception.Goal) : null;
        var last = Interventions.Count > 0 ? Interventions.All[^1] : null;
        return new DeployStatus(episode, _options.Episodes, step, _options.StepsPerEpisode, t, age, state?.EndEffectorPosition, goalDistance,
                                RobotCommand.Name(command.Kind), Interventions.Count, last?.KindName, _robot.RoundTripMs, success);
    }

    /// <summary>Sleeps until <paramref name="dueMicros"/> on the monotonic clock (to the millisecond the OS scheduler gives).</summary>
    private static void SleepUntil(long dueMicros)
    {
        while (true)
        {
            long wait = dueMicros - MonotonicClock.NowMicros;
            if (wait <= 0) return;
            Thread.Sleep(TimeSpan.FromMicroseconds(Math.Max(wait, 200)));
        }
    }
}
