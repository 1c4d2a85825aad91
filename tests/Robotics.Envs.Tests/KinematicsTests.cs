using NUnit.Framework;
using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.MuJoCo;

namespace Robotics.Envs.Tests;

/// <summary>Our MJCF's forward kinematics against Franka's published (modified, Craig) DH parameters.</summary>
public class KinematicsTests
{
    private static readonly double[] A = [0, 0, 0, 0.0825, -0.0825, 0, 0.088];
    private static readonly double[] D = [0.333, 0, 0.316, 0, 0.384, 0, 0];
    private static readonly double[] Alpha = [0, -Math.PI / 2, Math.PI / 2, Math.PI / 2, -Math.PI / 2, Math.PI / 2, Math.PI / 2];
    private const double FlangeOffset = 0.107;

    /// <summary>Craig's link transform: RotX(α) · TransX(a) · RotZ(θ) · TransZ(d), row-major 4×4.</summary>
    private static double[] Link(double a, double d, double alpha, double theta)
    {
        double ct = Math.Cos(theta), st = Math.Sin(theta), ca = Math.Cos(alpha), sa = Math.Sin(alpha);
        return [ct, -st, 0, a, st * ca, ct * ca, -sa, -sa * d, st * sa, ct * sa, ca, ca * d, 0, 0, 0, 1];
    }

    private static double[] Mul(double[] x, double[] y)
    {
        var r = new double[16];
        for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
        for (int k = 0; k < 4; k++) r[4 * i + j] += x[4 * i + k] * y[4 * k + j];
        return r;
    }

    /// <summary>Flange pose from the DH chain; the base faces +y in our world, a +90° turn about z.</summary>
    private static double[] FlangeFromDh(ReadOnlySpan<double> q)
    {
        double[] t = [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        for (int i = 0; i < 7; i++) t = Mul(t, Link(A[i], D[i], Alpha[i], q[i]));
        return Mul(t, Link(0, FlangeOffset, 0, 0));
    }

    [Test]
    public void FlangePoseMatchesThePublishedDhParametersWithinOneMillimetre()
    {
        using var physics = new FrankaPhysics(AssetPaths.Resolve("tasks/reach.xml"));
        var data = physics.Data;
        int flange = physics.Id(MjObject.Site, "flange_site");
        var rng = new Rng(3);
        var q = new double[7];
        double worstPosition = 0, worstRotation = 0;
        for (int sample = 0; sample < 12; sample++)
        {
            data.ResetKeyframe("home");
            for (int i = 0; i < 7; i++)
            {
                q[i] = sample == 0 ? data.Qpos[i] : rng.Uniform(physics.ArmLowerLimits[i], physics.ArmUpperLimits[i]);
                data.Qpos[i] = q[i];
            }
            data.Forward();
            var t = FlangeFromDh(q);
            var p = data.SiteXpos.Slice(3 * flange, 3);
            var m = data.SiteXmat.Slice(9 * flange, 9);
            double dp = Math.Sqrt(Math.Pow(t[3] - p[0], 2) + Math.Pow(t[7] - p[1], 2) + Math.Pow(t[11] - p[2], 2));
            double dr = 0;
            for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) dr = Math.Max(dr, Math.Abs(t[4 * r + c] - m[3 * r + c]));
            worstPosition = Math.Max(worstPosition, dp);
            worstRotation = Math.Max(worstRotation, dr);
        }
        Assert.That(worstPosition, Is.LessThan(1e-3), "flange position error (m)");
        Assert.That(worstRotation, Is.LessThan(1e-3), "flange rotation-matrix entry error");
    }
}
