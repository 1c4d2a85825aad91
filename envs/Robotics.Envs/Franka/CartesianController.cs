using System.Numerics;
using Robotics.MuJoCo;

namespace Robotics.Envs.Franka;

/// <summary>
/// Meta-World's end-effector control on a position-controlled arm, as assets/README.md ("Control") specifies it:
/// <list type="number">
/// <item>the action moves a Cartesian target by at most 1 cm a step (Meta-World's action scale);</item>
/// <item>damped-least-squares IK turns the target into joint targets, holding the gripper pointing straight down as
/// Meta-World's mocap-welded hand is (a position-only solver let the wrist tilt up to 50° when reaching low and far,
/// so the wrist, not the fingers, met the puck);</item>
/// <item>gravity compensation and a velocity feed-forward (through qfrc_applied) let the damped joint servos follow
/// at the arm's speed limits, as Franka's own controller does.</item>
/// </list>
/// The IK runs on a scratch copy of the model's data, warm-started from the previous joint target, so it never
/// touches the simulation; under the scripted experts a step takes 1.3–2.1 kinematics passes on average, 3 at most.
/// </summary>
public sealed class CartesianController : IDisposable
{
    /// <summary>Metres of end-effector motion for an action of 1 (Meta-World's action_scale = 1/100).</summary>
    public const double ActionScale = 0.01;
    /// <summary>The target may lead the hand by this much; more is wind-up when something blocks the hand.</summary>
    private const double MaxLead = 0.03;
    private const int Rows = 6, Joints = FrankaPhysics.ArmJoints, MaxIterations = 20;
    private const double DampingSquared = 1e-4, NullSpaceGain = 0.05;
    private const double PositionTolerance = 1e-4, RotationTolerance = 1e-3, MaxPositionStep = 0.05;
    /// <summary>Franka's joint speed limits (rad/s), which bound the feed-forward.</summary>
    private static readonly double[] MaxJointSpeed = [2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61];

    private readonly FrankaPhysics _physics;
    private readonly MjData _scratch;
    private readonly Workspace _workspace;
    private readonly double _controlTimestep;
    private readonly double[] _home, _jointDamping = new double[Joints];
    private readonly double[] _jacp, _jacr;
    private readonly double[] _jointTarget = new double[Joints];
    private readonly double[] _heldRotation = new double[9];
    private Vector3 _target;

    public CartesianController(FrankaPhysics physics, Workspace workspace, ReadOnlySpan<double> homePosture, double controlTimestep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(controlTimestep);
        _physics = physics;
        _workspace = workspace;
        _home = homePosture.ToArray();
        _controlTimestep = controlTimestep;
        _scratch = new MjData(physics.Model);
        _jacp = new double[3 * physics.Model.Nv];
        _jacr = new double[3 * physics.Model.Nv];
        var damping = physics.Model.Field<double>("dof_damping");
        for (int k = 0; k < Joints; k++) _jointDamping[k] = damping[physics.ArmDofAddresses[k]];
    }

    public Vector3 Target => _target;

    /// <summary>Starts a new episode: target at the hand, joint target at the arm's posture, gripper orientation held.</summary>
    public void Reset()
    {
        _target = _physics.EndEffectorPosition;
        for (int k = 0; k < Joints; k++) _jointTarget[k] = _physics.ArmJointPosition(k);
        PointingDown(_physics.Data.SiteXmat.Slice(9 * _physics.EndEffectorSite, 9), _heldRotation);
    }

    /// <summary>Moves the target by delta·ActionScale (delta clipped to [-1, 1]) and sets the arm's joint targets and forces.</summary>
    public void Apply(float dx, float dy, float dz)
    {
        var hand = _physics.EndEffectorPosition;
        var step = new Vector3(Math.Clamp(dx, -1, 1), Math.Clamp(dy, -1, 1), Math.Clamp(dz, -1, 1)) * (float)ActionScale;
        var target = _workspace.Clamp(_target + step);
        var lead = target - hand;
        if (lead.Length() > MaxLead) target = hand + lead * (float)(MaxLead / lead.Length());
        _target = target;

        Span<double> previous = stackalloc double[Joints];
        _jointTarget.CopyTo(previous);
        SolveInverseKinematics(target);
        _physics.SetArmControl(_jointTarget);
        // Gravity compensation plus cancelling the joint damping along the commanded motion (the joint target's
        // velocity, within Franka's limits): the servo then only corrects errors instead of dragging the arm through
        // its own damping (assets/README.md, "Control", steps 3 and 4).
        var applied = _physics.Data.QfrcApplied;
        var bias = _physics.Data.QfrcBias;
        var dof = _physics.ArmDofAddresses;
        for (int k = 0; k < Joints; k++)
        {
            double velocity = Math.Clamp((_jointTarget[k] - previous[k]) / _controlTimestep, -MaxJointSpeed[k], MaxJointSpeed[k]);
            applied[dof[k]] = bias[dof[k]] + _jointDamping[k] * velocity;
        }
    }

    /// <summary>Damped-least-squares IK of the TCP (position and held orientation) on the scratch data, from the last joint target.</summary>
    private void SolveInverseKinematics(Vector3 target)
    {
        var qpos = _scratch.Qpos;
        var qposAdr = _physics.ArmQposAddresses;
        var dof = _physics.ArmDofAddresses;
        var low = _physics.ArmLowerLimits;
        var high = _physics.ArmUpperLimits;
        int site = _physics.EndEffectorSite, nv = _physics.Model.Nv;
        for (int k = 0; k < Joints; k++) qpos[qposAdr[k]] = _jointTarget[k];

        Span<double> error = stackalloc double[Rows];
        Span<double> jacobian = stackalloc double[Rows * Joints]; // rows: x, y, z, rotation about x, y, z
        Span<double> a = stackalloc double[Rows * Rows];
        Span<double> y = stackalloc double[Rows], jPull = stackalloc double[Rows], w = stackalloc double[Rows];
        Span<double> pull = stackalloc double[Joints];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            _scratch.Kinematics();
            var p = _scratch.SiteXpos.Slice(3 * site, 3);
            error[0] = target.X - p[0];
            error[1] = target.Y - p[1];
            error[2] = target.Z - p[2];
            OrientationError(_scratch.SiteXmat.Slice(9 * site, 9), _heldRotation, error[3..]);
            double positionError = Math.Sqrt(error[0] * error[0] + error[1] * error[1] + error[2] * error[2]);
            double rotationError = Math.Sqrt(error[3] * error[3] + error[4] * error[4] + error[5] * error[5]);
            if (positionError < PositionTolerance && rotationError < RotationTolerance) break;
            if (positionError > MaxPositionStep)
                for (int r = 0; r < 3; r++) error[r] *= MaxPositionStep / positionError;

            _scratch.JacSite(site, _jacp, _jacr);
            for (int k = 0; k < Joints; k++)
            for (int r = 0; r < 3; r++)
            {
                jacobian[r * Joints + k] = _jacp[r * nv + dof[k]];
                jacobian[(r + 3) * Joints + k] = _jacr[r * nv + dof[k]];
            }

            // A = J Jᵀ + λ² I; the step is Jᵀ A⁻¹ e.
            for (int r = 0; r < Rows; r++)
            for (int c = r; c < Rows; c++)
            {
                double sum = 0;
                for (int k = 0; k < Joints; k++) sum += jacobian[r * Joints + k] * jacobian[c * Joints + k];
                a[r * Rows + c] = a[c * Rows + r] = sum + (r == c ? DampingSquared : 0);
            }
            CholeskyInPlace(a);
            CholeskySolve(a, error, y);

            // Null-space pull toward home, (I − J⁺J)·k(home − q): the seventh joint's redundancy keeps the elbow up.
            for (int k = 0; k < Joints; k++) pull[k] = NullSpaceGain * (_home[k] - _jointTarget[k]);
            for (int r = 0; r < Rows; r++)
            {
                double sum = 0;
                for (int k = 0; k < Joints; k++) sum += jacobian[r * Joints + k] * pull[k];
                jPull[r] = sum;
            }
            CholeskySolve(a, jPull, w);

            for (int k = 0; k < Joints; k++)
            {
                double dq = pull[k];
                for (int r = 0; r < Rows; r++) dq += jacobian[r * Joints + k] * (y[r] - w[r]);
                _jointTarget[k] = Math.Clamp(_jointTarget[k] + dq, low[k] + 1e-3, high[k] - 1e-3);
                qpos[qposAdr[k]] = _jointTarget[k];
            }
        }
    }

    /// <summary>The held orientation: the gripper pointing straight down, turned about the vertical as it is now.</summary>
    private static void PointingDown(ReadOnlySpan<double> xmat, Span<double> held)
    {
        // Columns of xmat (row-major) are the site's axes in the world frame: keep the x axis's heading, z = −world z.
        double hx = xmat[0], hy = xmat[3];
        double norm = Math.Sqrt(hx * hx + hy * hy);
        if (norm < 1e-6) (hx, hy, norm) = (1, 0, 1);
        hx /= norm;
        hy /= norm;
        // x = (hx, hy, 0), z = (0, 0, −1), y = z × x = (hy, −hx, 0).
        held[0] = hx; held[1] = hy; held[2] = 0;
        held[3] = hy; held[4] = -hx; held[5] = 0;
        held[6] = 0; held[7] = 0; held[8] = -1;
    }

    /// <summary>World-frame rotation that takes the current axes toward the desired ones: ½ Σᵢ cᵢ × dᵢ over the columns.</summary>
    private static void OrientationError(ReadOnlySpan<double> current, ReadOnlySpan<double> desired, Span<double> e)
    {
        e[0] = e[1] = e[2] = 0;
        for (int i = 0; i < 3; i++)
        {
            double cx = current[i], cy = current[3 + i], cz = current[6 + i];
            double dx = desired[i], dy = desired[3 + i], dz = desired[6 + i];
            e[0] += 0.5 * (cy * dz - cz * dy);
            e[1] += 0.5 * (cz * dx - cx * dz);
            e[2] += 0.5 * (cx * dy - cy * dx);
        }
    }

    /// <summary>In-place Cholesky factor L (lower triangle) of a symmetric positive-definite 6×6 matrix.</summary>
    private static void CholeskyInPlace(Span<double> a)
    {
        for (int j = 0; j < Rows; j++)
        {
            double d = a[j * Rows + j];
            for (int k = 0; k < j; k++) d -= a[j * Rows + k] * a[j * Rows + k];
            a[j * Rows + j] = Math.Sqrt(d);
            for (int i = j + 1; i < Rows; i++)
            {
                double s = a[i * Rows + j];
                for (int k = 0; k < j; k++) s -= a[i * Rows + k] * a[j * Rows + k];
                a[i * Rows + j] = s / a[j * Rows + j];
            }
        }
    }

    /// <summary>Solves L Lᵀ x = b with the factor from <see cref="CholeskyInPlace"/>.</summary>
    private static void CholeskySolve(ReadOnlySpan<double> l, ReadOnlySpan<double> b, Span<double> x)
    {
        for (int i = 0; i < Rows; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * Rows + k] * x[k];
            x[i] = s / l[i * Rows + i];
        }
        for (int i = Rows - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < Rows; k++) s -= l[k * Rows + i] * x[k];
            x[i] = s / l[i * Rows + i];
        }
    }

    public void Dispose() => _scratch.Dispose();
}
