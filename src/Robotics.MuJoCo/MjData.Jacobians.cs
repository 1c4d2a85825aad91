using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjData
{
    /// <summary>
    /// Translational (<paramref name="jacp"/>) and rotational (<paramref name="jacr"/>) Jacobians
    /// of a site, each 3 x nv row-major, written into the caller's spans (mj_jacSite). Pass an empty
    /// span to skip one. Needs up-to-date kinematics: call after <see cref="Forward"/> or a step.
    /// </summary>
    public void JacSite(int site, Span<double> jacp, Span<double> jacr)
    {
        CheckId(site, Model.Nsite, "site");
        Jacobian(site, jacp, jacr, body: false);
    }

    public void JacSite(string site, Span<double> jacp, Span<double> jacr) =>
        JacSite(Model.GetId(MjObject.Site, site), jacp, jacr);

    /// <summary>Jacobians of a body's frame origin, each 3 x nv (mj_jacBody); see <see cref="JacSite(int, Span{double}, Span{double})"/>.</summary>
    public void JacBody(int body, Span<double> jacp, Span<double> jacr)
    {
        CheckId(body, Model.Nbody, "body");
        Jacobian(body, jacp, jacr, body: true);
    }

    public void JacBody(string body, Span<double> jacp, Span<double> jacr) =>
        JacBody(Model.GetId(MjObject.Body, body), jacp, jacr);

    private unsafe void Jacobian(int id, Span<double> jacp, Span<double> jacr, bool body)
    {
        var needed = 3 * Model.Nv;
        CheckJacobian(jacp.Length, needed, nameof(jacp));
        CheckJacobian(jacr.Length, needed, nameof(jacr));
        fixed (double* p = jacp)
        fixed (double* r = jacr)
        {
            // An empty span pins to null, which tells MuJoCo to skip that Jacobian.
            var pp = jacp.IsEmpty ? null : p;
            var rr = jacr.IsEmpty ? null : r;
            NativeStatus.Check(body
                ? NativeMethods.rmj_jac_body(Model.Handle, Handle, id, pp, rr)
                : NativeMethods.rmj_jac_site(Model.Handle, Handle, id, pp, rr));
        }
    }

    private static void CheckJacobian(int length, int needed, string parameter)
    {
        if (length != 0 && length < needed)
            throw new ArgumentException($"{parameter} has {length} elements, but a 3 x nv Jacobian needs {needed}", parameter);
    }

    private static void CheckId(int id, int count, string what)
    {
        if ((uint)id >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"{what} id out of range: the model has {count}");
    }
}
