using System.Numerics;
using Robotics.Core.Envs;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Core.Spaces;
using Robotics.Envs.Tasks;
using Robotics.MuJoCo;
using Robotics.MuJoCo.Rendering;

namespace Robotics.Envs.Franka;

/// <summary>
/// A Franka task as a Gym env with Meta-World's 39-number observation:
/// [hand xyz, gripper 0–1, object pos + quat (w,x,y,z), object-2 pos + quat, the same 18 from the previous step, goal xyz].
/// The episode never terminates by itself; wrap it in a TimeLimit (<see cref="FrankaSuite.Make"/> does) to truncate.
/// </summary>
public sealed class FrankaEnv : IGoalEnv
{
    public const int ObservationSize = 39;
    /// <summary>Where the goal's xyz sits in the observation.</summary>
    public const int GoalOffset = 36;
    private const int FrameSize = 18;
    private const double JointDeltaScale = 0.05;

    private readonly FrankaPhysics _physics;
    private readonly CartesianController _controller;
    private readonly Rng _rng = new(0);
    private readonly int _homeKey;
    private readonly float[] _previousFrame = new float[FrameSize];
    private readonly double[] _jointTargets = new double[FrankaPhysics.ArmJoints];
    private OffscreenRenderer? _renderer;
    private FrankaState _initial;

    public IFrankaTask Task { get; }
    public FrankaEnvOptions Options { get; }
    public FrankaPhysics Physics => _physics;
    public BoxSpace ObservationSpace { get; } = BoxSpace.Uniform(ObservationSize, float.NegativeInfinity, float.PositiveInfinity);
    public BoxSpace ActionSpace { get; }
    /// <summary>The state view after the last Reset or Step.</summary>
    public FrankaState State { get; private set; }
    /// <summary>For hindsight relabelling: present when the task's goal is a point the hand or the puck should reach.</summary>
    public IGoalRewards? GoalRewards { get; }

    public FrankaEnv(IFrankaTask task, FrankaEnvOptions? options = null)
    {
        Task = task;
        Options = options ?? FrankaEnvOptions.Default;
        if (Options.FrameSkip < 1) throw new ArgumentOutOfRangeException(nameof(options), $"frame skip must be at least 1, got {Options.FrameSkip}");
        _physics = new FrankaPhysics(AssetPaths.Resolve(task.ModelFile));
        _homeKey = _physics.Id(MjObject.Key, "home");
        var home = new double[FrankaPhysics.ArmJoints];
        var keyQpos = _physics.Model.Field<double>("key_qpos").Slice(_homeKey * _physics.Model.Nq, _physics.Model.Nq);
        for (int i = 0; i < home.Length; i++) home[i] = keyQpos[i];
        _controller = new CartesianController(_physics, Workspace.Default, home, ControlTimestep);
        ActionSpace = BoxSpace.Uniform(Options.Control == ControlMode.EndEffector ? 4 : 8, -1, 1);
        task.Bind(_physics);
        GoalRewards = task is IGoalTask goalTask ? new FrankaGoalRewards(this, goalTask) : null;
    }

    /// <summary>Where end-effector control is taking the hand (FCI's commanded pose, O_T_EE_c): the hand at reset.</summary>
    public Vector3 EndEffectorTarget => _controller.Target;

    /// <summary>Physics seconds per env step: timestep × frame skip (12.5 ms by default).</summary>
    public double ControlTimestep => _physics.Model.Timestep * Options.FrameSkip;

    public ResetResult Reset(int? seed = null)
    {
        if (seed is int s) _rng.Reseed(s);
        _physics.Data.ResetKeyframe(_homeKey);
        Task.InitializeEpisode(_physics, _rng);
        _physics.Data.Forward();
        _controller.Reset();
        // The episode's start is its own initial position: read once, then fill the two initial fields.
        _initial = default;
        var start = ReadState();
        _initial = start;
        State = start with { HandInitial = start.Hand, ObjectInitial = start.Object };
        var obs = new float[ObservationSize];
        WriteFrame(State, obs.AsSpan(0, FrameSize));
        obs.AsSpan(0, FrameSize).CopyTo(obs.AsSpan(FrameSize, FrameSize)); // previous = current at reset, as Meta-World does
        WriteGoal(State, obs);
        obs.AsSpan(0, FrameSize).CopyTo(_previousFrame);
        var info = new Info { Success = false };
        return new ResetResult(obs, info);
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        ActionSpace.Validate(action, "action");
        ApplyAction(action);
        _physics.Data.Step(Options.FrameSkip);
        State = ReadState();

        var obs = new float[ObservationSize];
        WriteFrame(State, obs.AsSpan(0, FrameSize));
        _previousFrame.CopyTo(obs.AsSpan(FrameSize, FrameSize));
        WriteGoal(State, obs);
        obs.AsSpan(0, FrameSize).CopyTo(_previousFrame);

        var result = Task.ComputeReward(State, action);
        var info = new Info();
        foreach (var (name, value) in result.Components) info[name] = value;
        info.Success = result.Success;
        return new StepResult(obs, RewardOf(result), false, false, info);
    }

    /// <summary>The step reward this env pays for a task's reward result: the shaped reward, or 1 on success when sparse.</summary>
    internal double RewardOf(in RewardResult result) => Options.Reward == RewardType.Dense ? result.Reward : result.Success ? 1 : 0;

    private void ApplyAction(ReadOnlySpan<float> action)
    {
        float grip;
        if (Options.Control == ControlMode.EndEffector)
        {
            _controller.Apply(action[0], action[1], action[2]);
            grip = action[3];
        }
        else
        {
            var low = _physics.ArmLowerLimits;
            var high = _physics.ArmUpperLimits;
            for (int i = 0; i < _jointTargets.Length; i++)
                _jointTargets[i] = Math.Clamp(_physics.ArmJointPosition(i) + JointDeltaScale * action[i], low[i], high[i]);
            _physics.SetArmControl(_jointTargets);
            grip = action[7];
        }
        // Meta-World: +1 closes the gripper, −1 opens it.
        _physics.SetGripperOpening(FrankaPhysics.MaxGripperOpening * (1 - grip) / 2);
    }

    private FrankaState ReadState()
    {
        var arm = new FrankaState(
            Hand: _physics.EndEffectorPosition,
            GripperOpening: (float)Math.Clamp(_physics.GripperOpening / FrankaPhysics.MaxGripperOpening, 0, 1),
            LeftPad: _physics.LeftPadPosition,
            RightPad: _physics.RightPadPosition,
            Object: default, ObjectOrientation: default, Object2: default, Object2Orientation: default,
            Goal: default,
            HandInitial: _initial.Hand,
            ObjectInitial: _initial.Object,
            Joint: 0);
        return Task.ReadState(_physics, arm);
    }

    private static void WriteFrame(in FrankaState s, Span<float> f)
    {
        f[0] = s.Hand.X; f[1] = s.Hand.Y; f[2] = s.Hand.Z;
        f[3] = s.GripperOpening;
        f[4] = s.Object.X; f[5] = s.Object.Y; f[6] = s.Object.Z;
        f[7] = s.ObjectOrientation.W; f[8] = s.ObjectOrientation.X; f[9] = s.ObjectOrientation.Y; f[10] = s.ObjectOrientation.Z;
        f[11] = s.Object2.X; f[12] = s.Object2.Y; f[13] = s.Object2.Z;
        f[14] = s.Object2Orientation.W; f[15] = s.Object2Orientation.X; f[16] = s.Object2Orientation.Y; f[17] = s.Object2Orientation.Z;
    }

    private static void WriteGoal(in FrankaState s, Span<float> obs)
    {
        obs[GoalOffset] = s.Goal.X; obs[GoalOffset + 1] = s.Goal.Y; obs[GoalOffset + 2] = s.Goal.Z;
    }

    public RgbImage Render() => Render(Options.Camera);

    /// <summary>Renders from a named camera. The GL context is made on first use and belongs to this thread.</summary>
    public RgbImage Render(string camera)
    {
        _renderer ??= new OffscreenRenderer(_physics.Model, Options.RenderWidth, Options.RenderHeight) { Options = RenderOptions.Fast };
        var pixels = _renderer.RenderRgb(_physics.Data, RenderCamera.Named(camera));
        return RgbImage.Create(Options.RenderWidth, Options.RenderHeight, pixels);
    }

    public void Dispose()
    {
        _renderer?.Dispose();
        _controller.Dispose();
        _physics.Dispose();
    }
}
