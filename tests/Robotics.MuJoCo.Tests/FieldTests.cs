using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class FieldTests
{
    [Test]
    public void Spans_have_the_models_sizes()
    {
        using var model = TestModels.Humanoid();
        using var data = model.MakeData();
        Assert.Multiple(() =>
        {
            Assert.That(data.Qpos.Length, Is.EqualTo(model.Nq));
            Assert.That(data.Qvel.Length, Is.EqualTo(model.Nv));
            Assert.That(data.Ctrl.Length, Is.EqualTo(model.Nu));
            Assert.That(data.Xpos.Length, Is.EqualTo(3 * model.Nbody));
            Assert.That(data.Xquat.Length, Is.EqualTo(4 * model.Nbody));
            Assert.That(data.Xmat.Length, Is.EqualTo(9 * model.Nbody));
            Assert.That(data.XfrcApplied.Length, Is.EqualTo(6 * model.Nbody));
            Assert.That(data.CfrcExt.Length, Is.EqualTo(6 * model.Nbody));
            Assert.That(data.GeomXpos.Length, Is.EqualTo(3 * model.Ngeom));
            Assert.That(data.Sensordata.Length, Is.EqualTo(model.Nsensordata));
            Assert.That(data.MocapPos.Length, Is.EqualTo(3 * model.Nmocap));
            Assert.That(model.JntRange.Length, Is.EqualTo(2 * model.Njnt));
            Assert.That(model.ActuatorCtrlRange.Length, Is.EqualTo(2 * model.Nu));
            Assert.That(model.GeomRgba.Length, Is.EqualTo(4 * model.Ngeom));
            Assert.That(model.BodyMass.Length, Is.EqualTo(model.Nbody));
        });
    }

    [Test]
    public void Spans_alias_mujocos_memory_without_copies()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.Qpos[2] = 0.75; // box height
        data.Forward();
        Assert.That(data.Xpos[3 * 1 + 2], Is.EqualTo(0.75), "xpos of body 1 follows the qpos written through the span");
        Assert.That(data.Field<double>("qpos")[2], Is.EqualTo(0.75), "the generic accessor sees the same memory");
        data.Time = 3.5;
        Assert.That(data.GetState()[0], Is.EqualTo(3.5));
    }

    [Test]
    public void Sensors_and_model_arrays_read_what_the_model_says()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.ResetKeyframe("raised");
        data.Forward();
        Assert.That(data.Sensordata[0], Is.EqualTo(0.3), "elbow joint position sensor");
        Assert.That(model.BodyMass[1], Is.EqualTo(1.0).Within(1e-12));
        Assert.That(model.JntRange[2], Is.EqualTo(-Math.PI / 2).Within(1e-12), "shoulder range in radians");
        Assert.That(model.ActuatorCtrlRange.ToArray(), Is.EqualTo(new[] { -1.0, 1.0 }));
        Assert.That(model.GeomRgba.Slice(4, 4).ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 1f }));
        Assert.That(model.GeomSize[4], Is.EqualTo(0.1), "box half-size");
    }

    [Test]
    public void Options_are_writable_and_change_the_physics()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        Assert.That(model.Gravity.ToArray(), Is.EqualTo(new[] { 0, 0, -9.81 }));

        model.Gravity[2] = 0;
        model.Timestep = 0.001;
        data.Step(100);

        Assert.That(data.Time, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(data.Qpos[2], Is.EqualTo(0.2), "no gravity, no fall");
        Assert.That(model.Field<double>("opt.timestep")[0], Is.EqualTo(0.001));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Timestep = 0);
    }

    [Test]
    public void Generic_access_checks_names_and_element_types()
    {
        using var model = TestModels.Humanoid();
        using var data = model.MakeData();
        Assert.That(data.FieldInfo("cvel"), Is.EqualTo(new MjFieldInfo("cvel", model.Nbody, 6, MjFieldKind.Double)));
        Assert.That(data.FieldInfo("nefc").Kind, Is.EqualTo(MjFieldKind.Int));
        Assert.That(model.FieldInfo("geom_rgba").Kind, Is.EqualTo(MjFieldKind.Float));
        Assert.That(model.Field<int>("body_parentid").Length, Is.EqualTo(model.Nbody));

        var unknown = Assert.Throws<MuJoCoException>(() => data.Field<double>("qpos_typo"))!;
        Assert.That(unknown.Message, Does.Contain("qpos_typo"));
        var wrongType = Assert.Throws<ArgumentException>(() => model.Field<double>("geom_rgba"))!;
        Assert.That(wrongType.Message, Does.Contain("Single"));
        Assert.Throws<ArgumentException>(() => data.Field<double>("contact"), "structs are not spans");
        Assert.Throws<MuJoCoException>(() => model.Size("nwhatever"));
    }

    [Test]
    public void Applied_forces_move_the_body()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        model.Gravity[2] = 0;
        data.XfrcApplied[6 * 1 + 0] = 2.0; // +x force on the box (body 1)
        data.Step(100);
        Assert.That(data.Qpos[0], Is.GreaterThan(0.005));
    }
}
