using System.Numerics;

namespace Robotics.Envs.Franka;

/// <summary>
/// Meta-World's end-effector control on a position-controlled arm: the action moves a Cartesian target by at most
/// 1 cm a step, and damped-least-squares differential IK on the end-effector Jacobian turns the remaining error into
/// joint targets, clamped to the joint limits. A null-space pull toward the home posture keeps the redundant
/// seventh degree of freedom from drifting over a 500-step episode.
/// </summary>
public sealed class CartesianController
{
    /// <summary>Metres of end-effector motion for an action of 1 (Meta-World's action_scale = 1/100).</summary>
    public const double ActionScale = 0.01;
    private const double Damping = 0.05, NullSpaceGain = 0.05;
    /// <summary>The target may lead the hand by this much; more is wind-up when something blocks the hand.</summary>
    private const double MaxLead = 0.03;

    private readonly FrankaPhysics _physics;
    private readonly Workspace _workspace;
    private readonly double[] _home;
    private readonly double[] _jacp, _jacr, _q = new double[7], _qTarget = new double[7];
    private Vector3 _target;

    public CartesianController(FrankaPhysics physics, Workspace workspace, ReadOnlySpan<double> homePosture)
    {
        _physics = physics;
        _workspace = workspace;
        _home = homePosture.ToArray();
        _jacp = new double[3 * physics.Model.Nv];
        _jacr = new double[3 * physics.Model.Nv];
    }

    public Vector3 Target => _target;

    /// <summary>Starts a new episode with the target at the hand.</summary>
    public void Reset() => _target = _physics.EndEffectorPosition;

    /// <summary>Moves the target by delta·ActionScale (delta clipped to [-1, 1]) and sets the arm's joint targets.</summary>
    public void Apply(float dx, float dy, float dz)
    {
        var hand = _physics.EndEffectorPosition;
        var step = new Vector3(Math.Clamp(dx, -1, 1), Math.Clamp(dy, -1, 1), Math.Clamp(dz, -1, 1)) * (float)ActionScale;
        var target = _workspace.Clamp(_target + step);
        var lead = target - hand;
        if (lead.Length() > MaxLead) target = hand + lead * (float)(MaxLead / lead.Length());
        _target = target;
        SolveTowards(target);
    }

    private void SolveTowards(Vector3 target)
    {
        var hand = _physics.EndEffectorPosition;
        double ex = target.X - hand.X, ey = target.Y - hand.Y, ez = target.Z - hand.Z;
        _physics.Data.JacSite(_physics.EndEffectorSite, _jacp, _jacr);
        int nv = _physics.Model.Nv;
        var dof = _physics.ArmDofAddresses;
        for (int i = 0; i < 7; i++) _q[i] = _physics.ArmJointPosition(i);

        // A = J Jᵀ + λ² I (3×3, symmetric); solve A y = e, then dq = Jᵀ y.
        Span<double> a = stackalloc double[9];
        for (int r = 0; r < 3; r++)
        for (int c = r; c < 3; c++)
        {
            double sum = 0;
            for (int k = 0; k < 7; k++) sum += _jacp[r * nv + dof[k]] * _jacp[c * nv + dof[k]];
            a[r * 3 + c] = a[c * 3 + r] = sum;
        }
        for (int r = 0; r < 3; r++) a[r * 4] += Damping * Damping;
        Span<double> e = [ex, ey, ez];
        Span<double> y = stackalloc double[3];
        Solve3(a, e, y);

        // Null-space posture term: project (home − q) off the task directions, (I − J⁺J)·k(home − q).
        Span<double> pull = stackalloc double[7];
        for (int k = 0; k < 7; k++) pull[k] = NullSpaceGain * (_home[k] - _q[k]);
        Span<double> jPull = stackalloc double[3];
        for (int r = 0; r < 3; r++)
        {
            double sum = 0;
            for (int k = 0; k < 7; k++) sum += _jacp[r * nv + dof[k]] * pull[k];
            jPull[r] = sum;
        }
        Span<double> z = stackalloc double[3];
        Solve3(a, jPull, z);

        var low = _physics.ArmLowerLimits;
        var high = _physics.ArmUpperLimits;
        for (int k = 0; k < 7; k++)
        {
            double dq = 0, back = 0;
            for (int r = 0; r < 3; r++)
            {
                dq += _jacp[r * nv + dof[k]] * y[r];
                back += _jacp[r * nv + dof[k]] * z[r];
            }
            _qTarget[k] = Math.Clamp(_q[k] + dq + pull[k] - back, low[k], high[k]);
        }
        _physics.SetArmControl(_qTarget);
    }

    /// <summary>Solves a symmetric positive-definite 3×3 system by Cramer's rule (tiny and branch-free).</summary>
    private static void Solve3(ReadOnlySpan<double> m, ReadOnlySpan<double> b, Span<double> x)
    {
        double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        double inv = 1.0 / det;
        double i00 = c00 * inv, i01 = (m[2] * m[7] - m[1] * m[8]) * inv, i02 = (m[1] * m[5] - m[2] * m[4]) * inv;
        double i10 = c01 * inv, i11 = (m[0] * m[8] - m[2] * m[6]) * inv, i12 = (m[2] * m[3] - m[0] * m[5]) * inv;
        double i20 = c02 * inv, i21 = (m[1] * m[6] - m[0] * m[7]) * inv, i22 = (m[0] * m[4] - m[1] * m[3]) * inv;
        x[0] = i00 * b[0] + i01 * b[1] + i02 * b[2];
        x[1] = i10 * b[0] + i11 * b[1] + i12 * b[2];
        x[2] = i20 * b[0] + i21 * b[1] + i22 * b[2];
    }
}
