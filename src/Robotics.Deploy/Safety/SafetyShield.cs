using System.Globalization;
using System.Numerics;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;

namespace Robotics.Deploy.Safety;

/// <summary>Where in a run a decision is made, for the intervention records.</summary>
public readonly record struct ShieldStep(int Episode, int Step, double TimeSeconds);

/// <summary>
/// The safety shield between a policy and <see cref="IRobot"/>: every action passes through <see cref="Filter"/>, which
/// returns the command actually sent. In order: non-finite numbers → hold; clip to the trained action box; limit
/// the per-step change; map to physical units (<see cref="ActionScaling"/>); then, on the commanded motion,
/// end-effector acceleration and speed, the workspace box, joint velocity and joint position limits. Each limit
/// shrinks the motion (never enlarges or redirects it outward), so later limits cannot undo earlier ones, except
/// the acceleration limit, which may extend a too-sudden stop and is therefore checked before the workspace.
/// Every change is recorded in the <see cref="InterventionLog"/> with its reason, at most once per kind and step.
/// </summary>
public sealed class SafetyShield
{
    /// <summary>Relative shrink below which a limit only rounded the command (float noise), not intervened.</summary>
    private const double Slack = 1e-6;

    private readonly SafetyLimits _limits;
    private readonly RobotCapabilities _robot;
    private readonly ActionScaling _scaling;
    private readonly double _dt;
    private readonly InterventionLog _log;
    private readonly double[] _jointLow, _jointHigh, _jointStep;
    private readonly float[] _previousMotion;
    private readonly double[] _dq, _base;
    /// <summary>End-effector deltas sent but not yet reported applied: the robot's target will have moved by them first.</summary>
    private readonly List<(uint Sequence, Vector3 Delta)> _pending = new();
    private Vector3 _previousVelocity;
    private ShieldStep _at;
    private readonly HashSet<InterventionKind> _recordedThisStep = new();

    public Vector3 WorkspaceLow { get; }
    public Vector3 WorkspaceHigh { get; }
    public double ControlPeriod => _dt;

    public SafetyShield(SafetyLimits limits, RobotCapabilities robot, ActionScaling scaling, double controlPeriodSeconds, InterventionLog log)
    {
        limits.Validate();
        if (!(controlPeriodSeconds > 0)) throw new ArgumentException($"the control period must be positive, got {controlPeriodSeconds}");
        if (scaling.Mode == CommandMode.JointTargets && robot.Joints != scaling.Joints)
            throw new ArgumentException($"joint commands for {scaling.Joints} joints cannot drive a {robot.Joints}-joint robot");
        (_limits, _robot, _scaling, _dt, _log) = (limits, robot, scaling, controlPeriodSeconds, log);
        WorkspaceLow = Vector3.Max(robot.WorkspaceLow, limits.WorkspaceLow ?? robot.WorkspaceLow);
        WorkspaceHigh = Vector3.Min(robot.WorkspaceHigh, limits.WorkspaceHigh ?? robot.WorkspaceHigh);
        if (WorkspaceLow.X >= WorkspaceHigh.X || WorkspaceLow.Y >= WorkspaceHigh.Y || WorkspaceLow.Z >= WorkspaceHigh.Z)
            throw new ArgumentException($"the workspace box {Box(limits.WorkspaceLow ?? robot.WorkspaceLow, limits.WorkspaceHigh ?? robot.WorkspaceHigh)} does not overlap the robot's {Box(robot.WorkspaceLow, robot.WorkspaceHigh)}");
        int n = robot.Joints;
        _jointLow = new double[n];
        _jointHigh = new double[n];
        _jointStep = new double[n];
        for (int i = 0; i < n; i++)
        {
            _jointLow[i] = robot.JointLower[i] + limits.JointPositionMargin;
            _jointHigh[i] = robot.JointUpper[i] - limits.JointPositionMargin;
            _jointStep[i] = robot.JointVelocityLimits[i] * limits.JointVelocityFraction * controlPeriodSeconds;
        }
        _previousMotion = new float[scaling.MotionSize];
        _dq = new double[n];
        _base = new double[n];
    }

    /// <summary>Starts an episode: the arm is at rest and nothing is in flight.</summary>
    public void Reset()
    {
        Array.Clear(_previousMotion);
        _previousVelocity = Vector3.Zero;
        _pending.Clear();
    }

    /// <summary>Tells the shield a command went out under <paramref name="sequence"/>, so its motion counts until the robot reports it applied.</summary>
    public void Sent(uint sequence, RobotCommand command)
    {
        if (command.Kind == CommandKind.EndEffectorDelta) _pending.Add((sequence, command.EndEffectorDelta));
    }

    /// <summary>A hold for <paramref name="episode"/>; with a kind, it is recorded as an intervention.</summary>
    public RobotCommand Hold(uint episode, uint basedOnState, ShieldStep at, InterventionKind? kind = null, string? reason = null)
    {
        Begin(at);
        if (kind is { } k) Record(k, reason ?? "hold");
        Array.Clear(_previousMotion);
        _previousVelocity = Vector3.Zero;
        return RobotCommand.Hold(episode, basedOnState);
    }

    public RobotCommand Stop(uint episode, uint basedOnState, ShieldStep at, InterventionKind kind, string reason)
    {
        Begin(at);
        Record(kind, reason);
        Array.Clear(_previousMotion);
        _previousVelocity = Vector3.Zero;
        return RobotCommand.Stop(episode, basedOnState);
    }

    /// <summary>The command to send for the policy's <paramref name="action"/> at <paramref name="state"/> (state number <paramref name="stateSequence"/>).</summary>
    public RobotCommand Filter(ReadOnlySpan<float> action, RobotState state, uint stateSequence, ShieldStep at)
    {
        if (action.Length != _scaling.ActionSize)
            throw new ArgumentException($"the policy gave {action.Length} numbers; {_scaling.Mode} control takes {_scaling.ActionSize}");
        if (state.Joints != _robot.Joints)
            throw new ArgumentException($"a state with {state.Joints} joints from a robot that declared {_robot.Joints}");
        Begin(at);
        for (int i = 0; i < action.Length; i++)
            if (!float.IsFinite(action[i]))
                return Hold(state.Episode, stateSequence, at, InterventionKind.NonFiniteAction, $"action[{i}] is {action[i]}; holding instead");

        var a = action.ToArray();
        var clipped = new List<string>();
        for (int i = 0; i < a.Length; i++)
        {
            float c = Math.Clamp(a[i], -1f, 1f);
            if (c != a[i]) clipped.Add($"action[{i}] = {F(a[i])} → {F(c)}");
            a[i] = c;
        }
        if (clipped.Count > 0) Record(InterventionKind.ActionClipped, string.Join(", ", clipped));

        int m = _scaling.MotionSize;
        var limited = new List<string>();
        for (int i = 0; i < m; i++)
        {
            float change = a[i] - _previousMotion[i];
            if (Math.Abs(change) > _limits.MaxActionChange)
            {
                float to = _previousMotion[i] + (float)(Math.Sign(change) * _limits.MaxActionChange);
                limited.Add($"action[{i}] {F(_previousMotion[i])} → {F(a[i])} limited to {F(to)}");
                a[i] = to;
            }
        }
        if (limited.Count > 0) Record(InterventionKind.RateLimited, $"{string.Join(", ", limited)} (at most {F(_limits.MaxActionChange)} a step)");

        double width = Math.Clamp(_scaling.GripperWidth(a[m]), 0, _robot.GripperMaxWidth);
        var command = _scaling.Mode == CommandMode.EndEffectorDelta
            ? FilterEndEffector(a, width, state, stateSequence)
            : FilterJoints(a, width, state, stateSequence);
        // Last line of defence: a state that passed its checks but drove the arithmetic out of range never becomes a motion.
        bool finite = float.IsFinite(command.EndEffectorDelta.X) && float.IsFinite(command.EndEffectorDelta.Y) && float.IsFinite(command.EndEffectorDelta.Z)
                      && command.JointTargets.All(float.IsFinite);
        return finite ? command : Hold(state.Episode, stateSequence, _at, InterventionKind.BadState, "the command computed from this state is not finite; holding");
    }

    private RobotCommand FilterEndEffector(float[] a, double width, RobotState state, uint stateSequence)
    {
        _pending.RemoveAll(p => p.Sequence <= state.LastAppliedCommand);
        var from = state.CommandedEndEffectorPosition;
        foreach (var (_, delta) in _pending) from += delta;

        var dx = new Vector3(a[0], a[1], a[2]) * (float)_scaling.EndEffectorMetresPerUnit;
        var v = dx / (float)_dt;
        var dv = v - _previousVelocity;
        double maxDv = _limits.MaxEndEffectorAcceleration * _dt;
        if (dv.Length() > maxDv * (1 + Slack))
        {
            var to = _previousVelocity + dv * (float)(maxDv / dv.Length());
            Record(InterventionKind.EndEffectorAcceleration, $"velocity change {F(dv.Length())} m/s in {F(_dt)} s is {F(dv.Length() / _dt)} m/s², limit {F(_limits.MaxEndEffectorAcceleration)}");
            v = to;
        }
        v = LimitSpeed(v);
        dx = v * (float)_dt;

        var target = from + dx;
        var inside = Vector3.Clamp(target, WorkspaceLow, WorkspaceHigh);
        if (Vector3.Distance(inside, target) > 1e-6f)
        {
            Record(InterventionKind.Workspace, $"target {V(target)} is outside the workspace {Box(WorkspaceLow, WorkspaceHigh)}; clamped to {V(inside)}");
            dx = inside - from;
            dx = LimitSpeed(dx / (float)_dt) * (float)_dt; // a target already outside is brought back no faster than the speed limit
        }

        int n = state.Joints;
        var jacobian = state.Jacobian;
        var dq = _dq.AsSpan(0, n);
        JacobianMotion.ToJoints(jacobian, dx, dq);
        double s = JointSpeedScale(dq, out var speedReason);
        if (s < 1 - Slack)
        {
            Record(InterventionKind.JointVelocityLimit, speedReason);
            dx *= (float)s;
            for (int i = 0; i < n; i++) dq[i] *= s;
        }
        // The controller will also close the gap between the measured hand and the target already commanded.
        var inFlight = _base.AsSpan(0, n);
        JacobianMotion.ToJoints(jacobian, from - state.EndEffectorPosition, inFlight);
        s = JointRangeScale(state.JointPositions, inFlight, dq, out var rangeReason);
        if (s < 1 - Slack)
        {
            Record(InterventionKind.JointPositionLimit, rangeReason);
            dx *= (float)s;
        }

        _previousVelocity = dx / (float)_dt;
        for (int i = 0; i < 3; i++) _previousMotion[i] = (float)(dx[i] / _scaling.EndEffectorMetresPerUnit);
        return new RobotCommand
        {
            Kind = CommandKind.EndEffectorDelta, Episode = state.Episode, BasedOnState = stateSequence, EndEffectorDelta = dx, GripperWidth = width,
        };
    }

    private RobotCommand FilterJoints(float[] a, double width, RobotState state, uint stateSequence)
    {
        int n = state.Joints;
        var q = state.JointPositions;
        var dq = _dq.AsSpan(0, n);
        var clamped = new List<string>();
        for (int i = 0; i < n; i++)
        {
            double target = q[i] + a[i] * _scaling.JointRadiansPerUnit;
            double safe = Math.Clamp(target, _jointLow[i], _jointHigh[i]);
            if (Math.Abs(safe - target) > 1e-9) clamped.Add($"joint {i + 1} target {F(target)} → {F(safe)} (range {F(_jointLow[i])}…{F(_jointHigh[i])})");
            dq[i] = safe - q[i];
        }
        if (clamped.Count > 0) Record(InterventionKind.JointPositionLimit, string.Join(", ", clamped));

        double s = JointSpeedScale(dq, out var speedReason);
        if (s < 1 - Slack) Record(InterventionKind.JointVelocityLimit, speedReason);

        var dx = JacobianMotion.ToEndEffector(state.Jacobian, dq) * (float)s;
        var v = dx / (float)_dt;
        double sa = AccelerationScale(v);
        if (sa < 1 - Slack)
            Record(InterventionKind.EndEffectorAcceleration, $"end-effector velocity change {F((v - _previousVelocity).Length())} m/s in {F(_dt)} s exceeds {F(_limits.MaxEndEffectorAcceleration)} m/s²");
        double speed = v.Length() * sa;
        double ss = speed > _limits.MaxEndEffectorSpeed ? _limits.MaxEndEffectorSpeed / speed : 1;
        if (ss < 1 - Slack) Record(InterventionKind.EndEffectorSpeed, $"end-effector speed {F(speed)} m/s exceeds {F(_limits.MaxEndEffectorSpeed)} m/s");
        double sw = WorkspaceScale(state.EndEffectorPosition, dx * (float)(sa * ss));
        if (sw < 1 - Slack)
            Record(InterventionKind.Workspace, $"end effector would reach {V(state.EndEffectorPosition + dx * (float)(sa * ss))}, outside the workspace {Box(WorkspaceLow, WorkspaceHigh)}");

        double total = s * sa * ss * sw;
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            targets[i] = (float)(q[i] + dq[i] * total);
            _previousMotion[i] = (float)(dq[i] * total / _scaling.JointRadiansPerUnit);
        }
        _previousVelocity = v * (float)(sa * ss * sw);
        return new RobotCommand
        {
            Kind = CommandKind.JointTargets, Episode = state.Episode, BasedOnState = stateSequence, JointTargets = targets, GripperWidth = width,
        };
    }

    /// <summary>Caps a commanded end-effector velocity at the speed limit and at the robot's largest step per command and axis.</summary>
    private Vector3 LimitSpeed(Vector3 v)
    {
        double speed = v.Length();
        if (speed > _limits.MaxEndEffectorSpeed * (1 + Slack))
        {
            Record(InterventionKind.EndEffectorSpeed, $"end-effector speed {F(speed)} m/s exceeds {F(_limits.MaxEndEffectorSpeed)} m/s");
            v *= (float)(_limits.MaxEndEffectorSpeed / speed);
        }
        double axisLimit = _robot.MaxEndEffectorStep / _dt;
        double largest = Math.Max(Math.Abs(v.X), Math.Max(Math.Abs(v.Y), Math.Abs(v.Z)));
        if (largest > axisLimit * (1 + Slack))
        {
            Record(InterventionKind.EndEffectorSpeed, $"a step of {F(largest * _dt)} m on one axis exceeds the robot's {F(_robot.MaxEndEffectorStep)} m per command");
            v *= (float)(axisLimit / largest);
        }
        return v;
    }

    /// <summary>The largest s ≤ 1 keeping every |s·dq_i| within its joint's per-step speed limit.</summary>
    private double JointSpeedScale(ReadOnlySpan<double> dq, out string reason)
    {
        double s = 1;
        int worst = -1;
        for (int i = 0; i < dq.Length; i++)
        {
            if (Math.Abs(dq[i]) <= _jointStep[i]) continue;
            double si = _jointStep[i] / Math.Abs(dq[i]);
            if (si < s) (s, worst) = (si, i);
        }
        reason = worst < 0 ? "" : $"joint {worst + 1} would move at {F(Math.Abs(dq[worst]) / _dt)} rad/s, limit {F(_jointStep[worst] / _dt)} rad/s";
        return s;
    }

    /// <summary>
    /// The largest s ≤ 1 keeping q + inFlight + s·dq inside the joint ranges, for joints that s·dq moves outward; a
    /// joint already outside and pushed further gives 0 (hold), one brought back in is never limited.
    /// </summary>
    private double JointRangeScale(ReadOnlySpan<float> q, ReadOnlySpan<double> inFlight, ReadOnlySpan<double> dq, out string reason)
    {
        double s = 1;
        int worst = -1;
        for (int i = 0; i < dq.Length; i++)
        {
            double start = q[i] + inFlight[i], end = start + dq[i];
            double si = 1;
            if (dq[i] > 0 && end > _jointHigh[i]) si = Math.Max(0, (_jointHigh[i] - start) / dq[i]);
            else if (dq[i] < 0 && end < _jointLow[i]) si = Math.Max(0, (_jointLow[i] - start) / dq[i]);
            if (si < s) (s, worst) = (si, i);
        }
        reason = worst < 0 ? "" : $"joint {worst + 1} would reach {F(q[worst] + inFlight[worst] + dq[worst])} rad, range {F(_jointLow[worst])}…{F(_jointHigh[worst])} rad";
        return s;
    }

    /// <summary>
    /// Joint commands cannot be redirected in Cartesian space, only slowed: the largest s ≤ 1 with
    /// |s·v − v_prev| ≤ a_max·dt, or the s that comes closest when none does.
    /// </summary>
    private double AccelerationScale(Vector3 v)
    {
        double r = _limits.MaxEndEffectorAcceleration * _dt;
        var p = _previousVelocity;
        if ((v - p).Length() <= r * (1 + Slack)) return 1;
        double vv = Vector3.Dot(v, v), vp = Vector3.Dot(v, p), pp = Vector3.Dot(p, p);
        if (vv < 1e-18) return 1;
        double disc = vp * vp - vv * (pp - r * r);
        if (disc < 0) return Math.Clamp(vp / vv, 0, 1);
        double high = (vp + Math.Sqrt(disc)) / vv, low = (vp - Math.Sqrt(disc)) / vv;
        if (high < 0) return 0;
        if (low > 1) return 1; // only moving faster than asked would be smooth; slower is safer
        return Math.Clamp(high, 0, 1);
    }

    /// <summary>The largest s ≤ 1 keeping from + s·dx in the box on every axis the motion heads out of.</summary>
    private double WorkspaceScale(Vector3 from, Vector3 dx)
    {
        double s = 1;
        for (int i = 0; i < 3; i++)
        {
            double p = from[i], d = dx[i], lo = WorkspaceLow[i], hi = WorkspaceHigh[i];
            if (d > 0 && p + d > hi) s = Math.Min(s, Math.Max(0, (hi - p) / d));
            else if (d < 0 && p + d < lo) s = Math.Min(s, Math.Max(0, (lo - p) / d));
        }
        return s;
    }

    private void Begin(ShieldStep at)
    {
        if (at != _at) _recordedThisStep.Clear();
        _at = at;
    }

    private void Record(InterventionKind kind, string reason)
    {
        if (!_recordedThisStep.Add(kind)) return;
        _log.Record(new Intervention(_at.Episode, _at.Step, _at.TimeSeconds, kind, reason));
    }

    private static string F(double x) => x.ToString("0.####", CultureInfo.InvariantCulture);
    private static string V(Vector3 v) => $"({F(v.X)}, {F(v.Y)}, {F(v.Z)})";
    private static string Box(Vector3 lo, Vector3 hi) => $"{V(lo)}–{V(hi)}";
}
