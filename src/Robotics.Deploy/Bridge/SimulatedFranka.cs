using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Deploy.Bridge;

/// <summary>
/// The MuJoCo Franka of one task as a robot: <see cref="FrankaEnv"/> does the physics, randomisation and success
/// test exactly as in training; this class turns protocol commands into env actions, one env step per control tick
/// (12.5 ms), and reads protocol states. End-effector deltas move the Cartesian target once; joint targets are
/// absolute and held until replaced or until the watchdog gives up on them. Not thread-safe: the bridge serialises calls.
/// </summary>
public sealed class SimulatedFranka : IDisposable
{
    /// <summary>Franka Emika Panda datasheet joint speed limits (rad/s).</summary>
    public static readonly float[] FrankaJointVelocityLimits = [2.175f, 2.175f, 2.175f, 2.175f, 2.61f, 2.61f, 2.61f];

    private readonly string _task;
    private readonly double _noise;
    private readonly Rng _rng;
    private readonly ActionScaling _eeScaling = ActionScaling.ForControl(ControlMode.EndEffector);
    private FrankaEnv _env;
    private int _handBody;
    private double[] _jacp = [], _jacr = [];
    private float[] _action = [];
    private float[]? _jointTargets;
    private double _gripperWidth;

    public RobotCapabilities Capabilities { get; }
    public CommandMode Mode { get; private set; } = CommandMode.EndEffectorDelta;
    public uint Episode { get; private set; }
    public bool Started { get; private set; }
    public bool Stopped { get; private set; }
    public bool Success { get; private set; }
    /// <summary>The env underneath, for tests that compare what the robot reports with what the env observes.</summary>
    public FrankaEnv Env => _env;
    public double ControlTimestep => _env.ControlTimestep;

    public SimulatedFranka(string task, int commandMaxAgeMs, int watchdogMs, double observationNoise = 0, int seed = 0)
    {
        if (!(observationNoise >= 0) || !double.IsFinite(observationNoise)) throw new ArgumentException($"observation noise must be a finite number ≥ 0, got {observationNoise}");
        (_task, _noise, _rng) = (task, observationNoise, new Rng(seed));
        _env = Build(ControlMode.EndEffector);
        var physics = _env.Physics;
        Capabilities = new RobotCapabilities
        {
            RobotName = "franka-panda (MuJoCo simulation)",
            Task = task,
            JointLower = physics.ArmLowerLimits.ToArray().Select(x => (float)x).ToArray(),
            JointUpper = physics.ArmUpperLimits.ToArray().Select(x => (float)x).ToArray(),
            JointVelocityLimits = FrankaJointVelocityLimits,
            WorkspaceLow = Workspace.Default.Low,
            WorkspaceHigh = Workspace.Default.High,
            Modes = CommandModes.EndEffectorDelta | CommandModes.JointTargets,
            Perception = ObservationLayout.StateViewOf(task),
            StateRateHz = 1 / _env.ControlTimestep,
            MaxCommandRateHz = 1 / _env.ControlTimestep,
            MaxEndEffectorStep = CartesianController.ActionScale,
            GripperMaxWidth = FrankaPhysics.MaxGripperOpening,
            CommandMaxAgeMs = commandMaxAgeMs,
            WatchdogMs = watchdogMs,
        };
    }

    private FrankaEnv Build(ControlMode control)
    {
        var env = new FrankaEnv(FrankaSuite.CreateTask(_task), FrankaEnvOptions.Default with { Control = control });
        var physics = env.Physics;
        _handBody = physics.Id(MjObject.Body, "panda_hand");
        _jacp = new double[3 * physics.Model.Nv];
        _jacr = new double[3 * physics.Model.Nv];
        _action = new float[env.ActionSpace.Dimension];
        return env;
    }

    /// <summary>Starts an episode in <paramref name="mode"/>; a null seed draws one from the bridge's generator.</summary>
    public void Reset(int? seed, CommandMode mode)
    {
        var control = mode == CommandMode.EndEffectorDelta ? ControlMode.EndEffector : ControlMode.JointDelta;
        if (_env.Options.Control != control)
        {
            _env.Dispose();
            _env = Build(control);
        }
        Mode = mode;
        _env.Reset(seed ?? _rng.NextInt(int.MaxValue));
        _gripperWidth = _env.Physics.GripperOpening;
        _jointTargets = null;
        Success = false;
        Stopped = false;
        Started = true;
        Episode++;
    }

    /// <summary>Latches a stop: the arm holds and motion commands are ignored until the next Reset.</summary>
    public void Stop() => Stopped = true;

    /// <summary>
    /// Advances one control tick. <paramref name="command"/> is the newest valid command that arrived since the last
    /// tick (null: none); <paramref name="watchdogExpired"/> says no valid command came within the watchdog deadline.
    /// </summary>
    public void Tick(RobotCommand? command, bool watchdogExpired)
    {
        if (!Started) return;
        if (Stopped || command is { Kind: CommandKind.Hold or CommandKind.Stop } || watchdogExpired) _jointTargets = null;
        if (command is { IsMotion: true } && !Stopped) _gripperWidth = Math.Clamp(command.GripperWidth, 0, FrankaPhysics.MaxGripperOpening);
        var physics = _env.Physics;
        Array.Clear(_action);
        if (Mode == CommandMode.EndEffectorDelta)
        {
            if (command is { Kind: CommandKind.EndEffectorDelta } && !Stopped)
            {
                var d = command.EndEffectorDelta / (float)_eeScaling.EndEffectorMetresPerUnit;
                (_action[0], _action[1], _action[2]) = (Math.Clamp(d.X, -1f, 1f), Math.Clamp(d.Y, -1f, 1f), Math.Clamp(d.Z, -1f, 1f));
            }
        }
        else
        {
            if (command is { Kind: CommandKind.JointTargets } && !Stopped) _jointTargets = command.JointTargets;
            if (_jointTargets is { } targets)
                for (int i = 0; i < FrankaPhysics.ArmJoints; i++)
                    _action[i] = (float)Math.Clamp((targets[i] - physics.ArmJointPosition(i)) / ActionScaling.FrankaJointRadiansPerUnit, -1, 1);
        }
        _action[^1] = _eeScaling.GripperAction(_gripperWidth);
        var step = _env.Step(_action);
        Success = step.Info.Success;
    }

    /// <summary>The robot state now, with Gaussian noise of the configured std on every measured position.</summary>
    public RobotState ReadState(long timeMicros, uint lastAppliedCommand, bool holding)
    {
        var physics = _env.Physics;
        int n = FrankaPhysics.ArmJoints, nv = physics.Model.Nv;
        var q = new float[n];
        var dq = new float[n];
        var jacobian = new float[3 * n];
        physics.Data.JacSite(physics.EndEffectorSite, _jacp, _jacr);
        var dof = physics.ArmDofAddresses;
        var qvel = physics.Data.Qvel;
        for (int i = 0; i < n; i++)
        {
            q[i] = (float)(physics.ArmJointPosition(i) + Noise());
            dq[i] = (float)qvel[dof[i]];
            for (int r = 0; r < 3; r++) jacobian[r * n + i] = (float)_jacp[r * nv + dof[i]];
        }
        var s = _env.State;
        var status = RobotStatus.SuccessKnown | (Success ? RobotStatus.Success : 0) | (Stopped ? RobotStatus.Stopped : 0) | (holding ? RobotStatus.Holding : 0);
        return new RobotState
        {
            TimeMicros = timeMicros, Episode = Episode, Status = status, LastAppliedCommand = lastAppliedCommand,
            JointPositions = q, JointVelocities = dq,
            EndEffectorPosition = physics.EndEffectorPosition + NoiseVector(),
            EndEffectorOrientation = physics.BodyQuaternion(_handBody),
            CommandedEndEffectorPosition = _env.Options.Control == ControlMode.EndEffector ? _env.EndEffectorTarget : physics.EndEffectorPosition,
            GripperWidth = physics.GripperOpening + Noise(),
            Jacobian = jacobian,
            Perception = Mask(new Perception(Capabilities.Perception,
                s.Object + NoiseVector(), s.ObjectOrientation, s.Object2 + NoiseVector(), s.Object2Orientation,
                s.Goal + NoiseVector(), (float)(s.Joint + Noise()))),
        };
    }

    /// <summary>Items the task does not use stay exactly zero (as in training), noise or not.</summary>
    private static Perception Mask(Perception p) => p with
    {
        Object = (p.Available & PerceptionItems.Object) != 0 ? p.Object : default,
        ObjectOrientation = (p.Available & PerceptionItems.Object) != 0 ? p.ObjectOrientation : default,
        Object2 = (p.Available & PerceptionItems.Object2) != 0 ? p.Object2 : default,
        Object2Orientation = (p.Available & PerceptionItems.Object2) != 0 ? p.Object2Orientation : default,
        Goal = (p.Available & PerceptionItems.Goal) != 0 ? p.Goal : default,
        Articulation = (p.Available & PerceptionItems.Articulation) != 0 ? p.Articulation : 0,
    };

    private double Noise() => _noise > 0 ? _noise * _rng.NextGaussian() : 0;
    private Vector3 NoiseVector() => _noise > 0 ? new Vector3((float)Noise(), (float)Noise(), (float)Noise()) : Vector3.Zero;

    public void Dispose() => _env.Dispose();
}
