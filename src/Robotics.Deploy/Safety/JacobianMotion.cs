using System.Numerics;

namespace Robotics.Deploy.Safety;

/// <summary>
/// First-order kinematics on the translational Jacobian J (3 × n, row-major) a robot reports with its state: the
/// end-effector motion of a joint motion (J·dq), and an estimate of the joint motion an end-effector displacement
/// asks of the robot's Cartesian controller, by damped least squares dq = Jᵀ(JJᵀ + λ²I)⁻¹dx. The robot's controller
/// also holds the gripper's orientation (FrankaEnv's does), which the reported 3-row Jacobian cannot express, so this
/// is the smallest joint motion that makes the displacement; the damping keeps it bounded near singularities.
/// </summary>
public static class JacobianMotion
{
    public const double Damping = 0.05;

    public static Vector3 ToEndEffector(ReadOnlySpan<float> jacobian, ReadOnlySpan<double> dq)
    {
        int n = dq.Length;
        double x = 0, y = 0, z = 0;
        for (int k = 0; k < n; k++)
        {
            x += jacobian[k] * dq[k];
            y += jacobian[n + k] * dq[k];
            z += jacobian[2 * n + k] * dq[k];
        }
        return new Vector3((float)x, (float)y, (float)z);
    }

    public static void ToJoints(ReadOnlySpan<float> jacobian, Vector3 dx, Span<double> dq)
    {
        int n = dq.Length;
        Span<double> a = stackalloc double[9];
        for (int r = 0; r < 3; r++)
        for (int c = r; c < 3; c++)
        {
            double sum = 0;
            for (int k = 0; k < n; k++) sum += (double)jacobian[r * n + k] * jacobian[c * n + k];
            a[r * 3 + c] = a[c * 3 + r] = sum;
        }
        for (int r = 0; r < 3; r++) a[r * 4] += Damping * Damping;
        // Solve the symmetric positive-definite 3×3 system by the adjugate (λ² > 0 keeps it invertible).
        double c00 = a[4] * a[8] - a[5] * a[7], c01 = a[5] * a[6] - a[3] * a[8], c02 = a[3] * a[7] - a[4] * a[6];
        double inv = 1.0 / (a[0] * c00 + a[1] * c01 + a[2] * c02);
        double ex = dx.X, ey = dx.Y, ez = dx.Z;
        double y0 = (c00 * ex + (a[2] * a[7] - a[1] * a[8]) * ey + (a[1] * a[5] - a[2] * a[4]) * ez) * inv;
        double y1 = (c01 * ex + (a[0] * a[8] - a[2] * a[6]) * ey + (a[2] * a[3] - a[0] * a[5]) * ez) * inv;
        double y2 = (c02 * ex + (a[1] * a[6] - a[0] * a[7]) * ey + (a[0] * a[4] - a[1] * a[3]) * ez) * inv;
        for (int k = 0; k < n; k++) dq[k] = jacobian[k] * y0 + jacobian[n + k] * y1 + jacobian[2 * n + k] * y2;
    }
}
