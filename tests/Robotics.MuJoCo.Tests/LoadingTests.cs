using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class LoadingTests
{
    [Test]
    public void Humanoid_loads_with_its_sizes()
    {
        using var model = TestModels.Humanoid();
        Assert.Multiple(() =>
        {
            Assert.That(model.Name, Is.EqualTo("Humanoid"));
            Assert.That(model.Nq, Is.EqualTo(28), "free joint (7) + 21 hinges");
            Assert.That(model.Nv, Is.EqualTo(27));
            Assert.That(model.Nu, Is.EqualTo(21));
            Assert.That(model.Size("nq"), Is.EqualTo(model.Nq));
            Assert.That(model.Ncam, Is.EqualTo(3));
            Assert.That(model.Timestep, Is.EqualTo(0.005));
        });
    }

    [Test]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-robotics", "missing.xml");
        var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlFile(path))!;
        Assert.That(error.Message, Does.Contain(path).And.Contain("not found"));
    }

    [Test]
    public void Malformed_xml_reports_mujocos_message_with_the_line()
    {
        const string xml = "<mujoco>\n  <worldbody>\n    <body>\n  </worldbody>\n</mujoco>";
        var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlString(xml))!;
        Assert.That(error.Message, Does.Contain("XML").And.Contain("4"), error.Message);
    }

    [Test]
    public void Unknown_element_reports_the_element_and_line()
    {
        const string xml = "<mujoco>\n  <worldbody>\n    <blob/>\n  </worldbody>\n</mujoco>";
        var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlString(xml))!;
        Assert.That(error.Message, Does.Contain("blob").And.Contain("line 3"), error.Message);
    }

    [Test]
    public void Bad_file_on_disk_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-bad-");
        try
        {
            var path = Path.Combine(dir.FullName, "bad.xml");
            File.WriteAllText(path, "<mujoco><worldbody><geom type='sphere'/></worldbody>");
            var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlFile(path))!;
            Assert.That(error.Message, Does.Contain(path), error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void String_model_resolves_includes_against_the_asset_directory()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-include-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "parts"));
            File.WriteAllText(Path.Combine(dir.FullName, "parts", "ball.xml"),
                "<mujoco><worldbody><body name='ball'><freejoint/><geom type='sphere' size='.1'/></body></worldbody></mujoco>");
            const string xml = "<mujoco model='with-include'><include file='parts/ball.xml'/></mujoco>";

            using var model = MjModel.FromXmlString(xml, dir.FullName);

            Assert.That(model.Name, Is.EqualTo("with-include"));
            Assert.That(model.GetId(MjObject.Body, "ball"), Is.EqualTo(1));
            Assert.That(Directory.GetFiles(dir.FullName), Is.Empty, "nothing is written next to the assets");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void String_model_with_a_missing_include_names_it()
    {
        var dir = Directory.CreateTempSubdirectory("rmj-noinclude-");
        try
        {
            const string xml = "<mujoco><include file='absent.xml'/></mujoco>";
            var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlString(xml, dir.FullName))!;
            Assert.That(error.Message, Does.Contain("absent.xml"), error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Missing_asset_directory_is_reported()
    {
        var error = Assert.Throws<MuJoCoException>(() => MjModel.FromXmlString(TestModels.BoxAndArm, "/no/such/assets"))!;
        Assert.That(error.Message, Does.Contain("/no/such/assets"));
    }

    [Test]
    public void Version_is_2_2_2() =>
        Assert.That((MjLibrary.Version, MjLibrary.VersionString), Is.EqualTo((222, "2.2.2")));

    [Test]
    public void Disposed_model_refuses_access_but_its_data_keeps_the_native_model_alive()
    {
        var model = TestModels.Box();
        using var data = model.MakeData();
        model.Dispose();

        Assert.That(model.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = model.BodyMass.Length);
        Assert.Throws<ObjectDisposedException>(() => model.MakeData());
        data.Step(10); // still simulates: the native model is freed only with its last data
        Assert.That(data.Time, Is.EqualTo(0.02).Within(1e-12));
    }
}
