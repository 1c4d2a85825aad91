using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class NamesTests
{
    private MjModel _model = null!;

    [OneTimeSetUp]
    public void Load() => _model = TestModels.Box();

    [OneTimeTearDown]
    public void Free() => _model.Dispose();

    [TestCase(MjObject.Body, "world", 0)]
    [TestCase(MjObject.Body, "box", 1)]
    [TestCase(MjObject.Body, "forearm", 3)]
    [TestCase(MjObject.Joint, "box_free", 0)]
    [TestCase(MjObject.Joint, "elbow", 2)]
    [TestCase(MjObject.Geom, "floor", 0)]
    [TestCase(MjObject.Geom, "lower", 3)]
    [TestCase(MjObject.Site, "hand", 1)]
    [TestCase(MjObject.Actuator, "shoulder_motor", 0)]
    [TestCase(MjObject.Sensor, "elbow_angle", 0)]
    [TestCase(MjObject.Camera, "overhead", 0)]
    [TestCase(MjObject.Key, "raised", 0)]
    public void Names_and_ids_round_trip(MjObject type, string name, int id)
    {
        Assert.That(_model.GetId(type, name), Is.EqualTo(id));
        Assert.That(_model.GetName(type, id), Is.EqualTo(name));
    }

    [Test]
    public void Unknown_name_throws_naming_the_kind_the_name_and_the_model()
    {
        var error = Assert.Throws<MuJoCoException>(() => _model.GetId(MjObject.Body, "x"))!;
        Assert.That(error.Message, Does.StartWith("no body named 'x' in model 'box-and-arm'"));
        Assert.That(error.Message, Does.Contain("'forearm'"), "lists names that do exist");
    }

    [Test]
    public void TryGetId_returns_minus_one_for_unknown_names()
    {
        Assert.That(_model.TryGetId(MjObject.Site, "nowhere", out var id), Is.False);
        Assert.That(id, Is.EqualTo(-1));
        Assert.That(_model.TryGetId(MjObject.Site, "corner", out id), Is.True);
        Assert.That(id, Is.Zero);
    }

    [Test]
    public void Unnamed_objects_have_null_names_and_bad_ids_throw()
    {
        Assert.That(_model.GetName(MjObject.Light, 0), Is.Null);
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.GetName(MjObject.Body, 99));
        Assert.That(_model.Names(MjObject.Joint), Is.EqualTo(new[] { "box_free", "shoulder", "elbow" }));
        Assert.That(_model.Count(MjObject.Geom), Is.EqualTo(_model.Ngeom).And.EqualTo(4));
    }

    [Test]
    public void Joint_addresses_locate_each_joint_in_qpos_and_qvel()
    {
        Assert.That(_model.JntQposAdr.ToArray(), Is.EqualTo(new[] { 0, 7, 8 }));
        Assert.That(_model.JntDofAdr.ToArray(), Is.EqualTo(new[] { 0, 6, 7 }));
        Assert.That(_model.JointQposAddress("elbow"), Is.EqualTo(8));
        Assert.That(_model.JointDofAddress("shoulder"), Is.EqualTo(6));
        Assert.Throws<MuJoCoException>(() => _model.JointQposAddress("wrist"));
    }
}
