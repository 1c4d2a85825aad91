using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class JacobianTests
{
    [Test]
    public void Site_jacobian_matches_finite_differences_of_site_position()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.ResetKeyframe("raised");
        data.Forward();
        var hand = model.GetId(MjObject.Site, "hand");
        var nv = model.Nv;
        var jacp = new double[3 * nv];
        data.JacSite(hand, jacp, default);

        // Only the hinge dofs (6: shoulder, 7: elbow) are perturbed: for hinges qpos and qvel coincide.
        const double eps = 1e-6;
        foreach (var (dof, qposIndex) in new[] { (6, 7), (7, 8) })
        {
            var basePos = SitePos(data, hand);
            var saved = data.Qpos[qposIndex];
            data.Qpos[qposIndex] = saved + eps;
            data.Forward();
            var plus = SitePos(data, hand);
            data.Qpos[qposIndex] = saved - eps;
            data.Forward();
            var minus = SitePos(data, hand);
            data.Qpos[qposIndex] = saved;
            data.Forward();
            for (var row = 0; row < 3; row++)
            {
                var numeric = (plus[row] - minus[row]) / (2 * eps);
                Assert.That(jacp[row * nv + dof], Is.EqualTo(numeric).Within(1e-6), $"d site[{row}] / d dof {dof}");
            }
            Assert.That(SitePos(data, hand), Is.EqualTo(basePos));
        }
        Assert.That(jacp[0 * nv + 6], Is.Not.Zero, "the shoulder moves the hand");
    }

    [Test]
    public void Kinematics_alone_gives_the_frames_and_jacobian_a_full_forward_gives()
    {
        // Iterative IK runs Kinematics on a scratch data: its frames and Jacobian must be Forward's, without the contacts.
        using var model = TestModels.Box();
        using var full = model.MakeData();
        using var positions = model.MakeData();
        full.ResetKeyframe("raised");
        positions.ResetKeyframe("raised");
        full.Qpos[7] += 0.3;
        positions.Qpos[7] += 0.3;
        full.Forward();
        positions.Kinematics();
        var hand = model.GetId(MjObject.Site, "hand");
        Assert.That(positions.SiteXpos.ToArray(), Is.EqualTo(full.SiteXpos.ToArray()));
        Assert.That(positions.SiteXmat.ToArray(), Is.EqualTo(full.SiteXmat.ToArray()));
        var (jFull, jPositions) = (new double[3 * model.Nv], new double[3 * model.Nv]);
        full.JacSite(hand, jFull, default);
        positions.JacSite(hand, jPositions, default);
        Assert.That(jPositions, Is.EqualTo(jFull));
        Assert.That(positions.ContactCount, Is.Zero, "no collision detection ran");
    }

    [Test]
    public void Box_jacobians_follow_its_free_joint()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.Forward();
        var nv = model.Nv;
        var jacp = new double[3 * nv];
        var jacr = new double[3 * nv];
        data.JacBody("box", jacp, jacr);
        for (var row = 0; row < 3; row++)
        for (var col = 0; col < 3; col++)
        {
            Assert.That(jacp[row * nv + col], Is.EqualTo(row == col ? 1 : 0), "translation dofs move the body 1:1");
            Assert.That(jacr[row * nv + 3 + col], Is.EqualTo(row == col ? 1 : 0), "rotation dofs turn it 1:1");
        }
    }

    [Test]
    public void Jacobian_span_too_small_is_rejected()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        var error = Assert.Throws<ArgumentException>(() => data.JacSite(0, new double[5], default))!;
        Assert.That(error.Message, Does.Contain("5 elements").And.Contain($"{3 * model.Nv}"));
        Assert.Throws<ArgumentException>(() => data.JacBody(1, default, new double[3 * model.Nv - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.JacSite(model.Nsite, new double[3 * model.Nv], default));
        Assert.Throws<MuJoCoException>(() => data.JacSite("elbow_site", new double[3 * model.Nv], default));
    }

    private static double[] SitePos(MjData data, int site) => data.SiteXpos.Slice(3 * site, 3).ToArray();
}
