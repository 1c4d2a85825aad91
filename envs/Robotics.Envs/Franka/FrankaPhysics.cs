using System.Numerics;
using Robotics.MuJoCo;

namespace Robotics.Envs.Franka;

/// <summary>
/// A loaded Franka scene with named readers (dm_control's habit): task code asks for the end-effector position or
/// a body's pose by name, never by raw qpos index. Ids are looked up once, here, so the per-step cost is an array read.
/// </summary>
public sealed class FrankaPhysics : IDisposable
{
    public const int ArmJoints = 7;
    /// <summary>Full opening of the parallel jaw: two fingers of 0–0.04 m each.</summary>
    public const double MaxGripperOpening = 0.08;

    public MjModel Model { get; }
    public MjData Data { get; }
    public string ModelPath { get; }

    private readonly int _eeSite, _leftPad, _rightPad, _finger1Adr, _finger2Adr, _gripperActuator;
    private readonly int[] _armQposAdr = new int[ArmJoints], _armDofAdr = new int[ArmJoints], _armActuators = new int[ArmJoints];
    private readonly double[] _armLow = new double[ArmJoints], _armHigh = new double[ArmJoints];

    public FrankaPhysics(string modelPath)
    {
        ModelPath = Path.GetFullPath(modelPath);
        Model = MjModel.FromXmlFile(ModelPath);
        Data = new MjData(Model);
        for (int i = 0; i < ArmJoints; i++)
        {
            int joint = Model.GetId(MjObject.Joint, $"panda_joint{i + 1}");
            _armQposAdr[i] = Model.JntQposAdr[joint];
            _armDofAdr[i] = Model.JntDofAdr[joint];
            _armLow[i] = Model.JntRange[2 * joint];
            _armHigh[i] = Model.JntRange[2 * joint + 1];
            _armActuators[i] = Model.GetId(MjObject.Actuator, $"panda_act{i + 1}");
        }
        _finger1Adr = Model.JntQposAdr[Model.GetId(MjObject.Joint, "panda_finger_joint1")];
        _finger2Adr = Model.JntQposAdr[Model.GetId(MjObject.Joint, "panda_finger_joint2")];
        _gripperActuator = Model.GetId(MjObject.Actuator, "panda_gripper");
        _eeSite = Model.GetId(MjObject.Site, "ee_site");
        _leftPad = Model.GetId(MjObject.Site, "left_pad");
        _rightPad = Model.GetId(MjObject.Site, "right_pad");
    }

    public int EndEffectorSite => _eeSite;
    public ReadOnlySpan<int> ArmDofAddresses => _armDofAdr;
    public ReadOnlySpan<int> ArmQposAddresses => _armQposAdr;
    public ReadOnlySpan<double> ArmLowerLimits => _armLow;
    public ReadOnlySpan<double> ArmUpperLimits => _armHigh;

    public Vector3 EndEffectorPosition => SitePosition(_eeSite);
    public Vector3 LeftPadPosition => SitePosition(_leftPad);
    public Vector3 RightPadPosition => SitePosition(_rightPad);

    /// <summary>Distance between the fingers in metres, 0 (closed) to 0.08 (open).</summary>
    public double GripperOpening => Data.Qpos[_finger1Adr] + Data.Qpos[_finger2Adr];

    public double ArmJointPosition(int i) => Data.Qpos[_armQposAdr[i]];

    public void SetArmControl(ReadOnlySpan<double> jointTargets)
    {
        var ctrl = Data.Ctrl;
        for (int i = 0; i < ArmJoints; i++) ctrl[_armActuators[i]] = jointTargets[i];
    }

    /// <summary>Sets the gripper's commanded opening in metres (the actuator's target is the finger separation).</summary>
    public void SetGripperOpening(double opening) =>
        Data.Ctrl[_gripperActuator] = Math.Clamp(opening, 0, MaxGripperOpening);

    public Vector3 SitePosition(int site)
    {
        var p = Data.SiteXpos.Slice(3 * site, 3);
        return new Vector3((float)p[0], (float)p[1], (float)p[2]);
    }

    public Vector3 BodyPosition(int body)
    {
        var p = Data.Xpos.Slice(3 * body, 3);
        return new Vector3((float)p[0], (float)p[1], (float)p[2]);
    }

    /// <summary>Body orientation; MuJoCo stores quaternions as (w, x, y, z).</summary>
    public Quaternion BodyQuaternion(int body)
    {
        var q = Data.Xquat.Slice(4 * body, 4);
        return new Quaternion((float)q[1], (float)q[2], (float)q[3], (float)q[0]);
    }

    public double JointPosition(int joint) => Data.Qpos[Model.JntQposAdr[joint]];

    public void SetJointPosition(int joint, double value)
    {
        Data.Qpos[Model.JntQposAdr[joint]] = value;
        Data.Qvel[Model.JntDofAdr[joint]] = 0;
    }

    /// <summary>Places a free-jointed body at rest at a position, upright.</summary>
    public void SetFreeBodyPose(int freeJoint, Vector3 position, Quaternion? orientation = null)
    {
        var q = orientation ?? Quaternion.Identity;
        int a = Model.JntQposAdr[freeJoint], v = Model.JntDofAdr[freeJoint];
        var qpos = Data.Qpos;
        qpos[a] = position.X; qpos[a + 1] = position.Y; qpos[a + 2] = position.Z;
        qpos[a + 3] = q.W; qpos[a + 4] = q.X; qpos[a + 5] = q.Y; qpos[a + 6] = q.Z;
        Data.Qvel.Slice(v, 6).Clear();
    }

    /// <summary>Moves a mocap body (goal markers) to a position.</summary>
    public void SetMocapPosition(int body, Vector3 position)
    {
        int mocap = Model.Field<int>("body_mocapid")[body];
        if (mocap < 0) throw new ArgumentException($"body '{Model.GetName(MjObject.Body, body)}' is not a mocap body");
        var p = Data.MocapPos.Slice(3 * mocap, 3);
        p[0] = position.X; p[1] = position.Y; p[2] = position.Z;
    }

    public int Id(MjObject kind, string name) => Model.GetId(kind, name);

    public void Dispose()
    {
        Data.Dispose();
        Model.Dispose();
    }
}
