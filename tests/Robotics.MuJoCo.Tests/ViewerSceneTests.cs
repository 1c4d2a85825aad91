using NUnit.Framework;
using Robotics.MuJoCo.Viewing;

namespace Robotics.MuJoCo.Tests;

/// <summary>
/// The viewer's GL-free half (rmj_viewer_* without a context): the free camera MuJoCo's mouse gestures move, the
/// visual flags, and the scene they produce. The window half is checked end to end by robo view's tests.
/// </summary>
public class ViewerSceneTests
{
    /// <summary>
    /// A box resting on a plane (contacts to draw), a camera on the +x axis looking back at the center, and
    /// visual settings chosen so the default free camera is known: center (0, 0, 1), extent 2, azimuth 90,
    /// elevation -20 give lookat (0, 0, 1), distance 1.5 x 2 = 3.
    /// </summary>
    private const string Scene = """
        <mujoco model="viewer-scene">
          <statistic center="0 0 1" extent="2"/>
          <visual><global azimuth="90" elevation="-20" fovy="45"/></visual>
          <worldbody>
            <light pos="0 0 3"/>
            <camera name="side" pos="2 0 1" xyaxes="0 1 0 0 0 1" fovy="45"/>
            <camera name="wide" pos="2 0 1" xyaxes="0 1 0 0 0 1" fovy="90"/>
            <geom name="floor" type="plane" size="2 2 .1"/>
            <body name="box" pos="0 0 0.1">
              <freejoint/>
              <geom type="box" size=".1 .1 .1" mass="1"/>
            </body>
          </worldbody>
        </mujoco>
        """;

    private MjModel _model = null!;
    private MjData _data = null!;
    private ViewerScene _scene = null!;

    [SetUp]
    public void Create()
    {
        _model = MjModel.FromXmlString(Scene);
        _data = _model.MakeData();
        _data.Forward();
        _scene = new ViewerScene(_model);
    }

    [TearDown]
    public void Free()
    {
        _scene.Dispose();
        _data.Dispose();
        _model.Dispose();
    }

    [Test]
    public void A_new_scene_looks_from_the_models_default_free_camera()
    {
        var camera = _scene.Camera;
        Assert.That(camera.Lookat, Is.EqualTo((0.0, 0.0, 1.0)));
        Assert.That(camera.Distance, Is.EqualTo(3.0).Within(1e-12));
        Assert.That(camera.Azimuth, Is.EqualTo(90.0).Within(1e-12));
        Assert.That(camera.Elevation, Is.EqualTo(-20.0).Within(1e-12));
    }

    [Test]
    public void Rotating_turns_180_degrees_per_window_height_and_keeps_the_lookat_and_distance()
    {
        _scene.MoveCamera(CameraMotion.RotateVertical, 0.1, 0.05, _data);
        var camera = _scene.Camera;
        Assert.That(camera.Azimuth, Is.EqualTo(90 - 18.0).Within(1e-9));
        Assert.That(camera.Elevation, Is.EqualTo(-20 - 9.0).Within(1e-9));
        Assert.That(camera.Lookat, Is.EqualTo((0.0, 0.0, 1.0)));
        Assert.That(camera.Distance, Is.EqualTo(3.0).Within(1e-12));
    }

    [Test]
    public void Moving_pans_the_lookat_with_the_cursor_and_keeps_the_angles()
    {
        // At azimuth 90 the camera looks along +y, so its right is +x. Dragging right carries the scene right
        // under the cursor: the point looked at moves left, along -x only.
        _scene.MoveCamera(CameraMotion.MoveVertical, 0.1, 0, _data);
        var camera = _scene.Camera;
        Assert.That(camera.Lookat.X, Is.LessThan(-0.01));
        Assert.That(camera.Lookat.Y, Is.EqualTo(0.0).Within(1e-9));
        Assert.That(camera.Lookat.Z, Is.EqualTo(1.0).Within(1e-9));
        Assert.That((camera.Distance, camera.Azimuth, camera.Elevation), Is.EqualTo((3.0, 90.0, -20.0)));

        // Dragging down in the vertical plane carries the scene down: the lookat rises.
        _scene.MoveCamera(CameraMotion.MoveVertical, 0, 0.1, _data);
        Assert.That(_scene.Camera.Lookat.Z, Is.GreaterThan(1.01));
    }

    [Test]
    public void Zooming_changes_only_the_distance()
    {
        _scene.MoveCamera(CameraMotion.Zoom, 0, 0.1, _data);
        var closer = _scene.Camera;
        Assert.That(closer.Distance, Is.LessThan(3.0));
        Assert.That((closer.Lookat, closer.Azimuth, closer.Elevation), Is.EqualTo(((0.0, 0.0, 1.0), 90.0, -20.0)));
        _scene.MoveCamera(CameraMotion.Zoom, 0, -0.2, _data);
        Assert.That(_scene.Camera.Distance, Is.GreaterThan(closer.Distance));
    }

    [Test]
    public void Looking_from_a_model_camera_sets_its_viewpoint_as_a_free_camera()
    {
        // "side" is at (2, 0, 1) looking along -x, straight at the center (0, 0, 1): 2 m away, azimuth 180, level.
        _scene.LookFrom("side", _data);
        var camera = _scene.Camera;
        Assert.That(camera.Lookat.X, Is.EqualTo(0.0).Within(1e-9));
        Assert.That(camera.Lookat.Y, Is.EqualTo(0.0).Within(1e-9));
        Assert.That(camera.Lookat.Z, Is.EqualTo(1.0).Within(1e-9));
        Assert.That(camera.Distance, Is.EqualTo(2.0).Within(1e-9));
        Assert.That(Math.Abs(camera.Azimuth), Is.EqualTo(180.0).Within(1e-9));
        Assert.That(camera.Elevation, Is.EqualTo(0.0).Within(1e-9));

        // A 90° camera frames more than the free camera's 45°: it is matched by backing off, by tan 45° / tan 22.5°.
        _scene.LookFrom("wide", _data);
        Assert.That(_scene.Camera.Distance, Is.EqualTo(2.0 / Math.Tan(Math.PI / 8)).Within(1e-9));
        Assert.That(_scene.Camera.Lookat.X, Is.EqualTo(0.0).Within(1e-9));
    }

    [Test]
    public void The_camera_can_be_placed_and_read_back()
    {
        _scene.SetCamera((1, 2, 3), 4, 30, -60);
        var camera = _scene.Camera;
        Assert.That((camera.Lookat, camera.Distance, camera.Azimuth, camera.Elevation), Is.EqualTo(((1.0, 2.0, 3.0), 4.0, 30.0, -60.0)));
        Assert.Throws<MuJoCoException>(() => _scene.SetCamera((0, 0, 0), 0, 0, 0));
    }

    [Test]
    public void Contacts_are_hidden_by_default_and_add_scene_geoms_when_shown()
    {
        _data.Step(200); // the box settles on the floor
        Assert.That(_data.ContactCount, Is.GreaterThan(0));
        Assert.That(_scene.ContactsVisible, Is.False);
        _scene.Update(_data);
        var without = _scene.GeomCount;
        Assert.That(without, Is.GreaterThanOrEqualTo(2), "the floor and the box");

        _scene.ContactsVisible = true;
        Assert.That(_scene.GetFlag(VisualFlag.ContactPoint) && _scene.GetFlag(VisualFlag.ContactForce), Is.True);
        _scene.Update(_data);
        Assert.That(_scene.GeomCount, Is.GreaterThanOrEqualTo(without + _data.ContactCount), "a point per contact, plus force arrows");

        _scene.ContactsVisible = false;
        _scene.Update(_data);
        Assert.That(_scene.GeomCount, Is.EqualTo(without));
    }

    [Test]
    public void Bad_arguments_are_managed_exceptions()
    {
        var flag = Assert.Throws<MuJoCoException>(() => _scene.SetFlag((VisualFlag)99, true))!;
        Assert.That(flag.Message, Does.Contain("visual flag 99"));
        Assert.That(Assert.Throws<MuJoCoException>(() => _scene.LookFrom("nope", _data))!.Message, Does.Contain("nope"));
        Assert.That(Assert.Throws<MuJoCoException>(() => _scene.MoveCamera((CameraMotion)42, 0, 0, _data))!.Message,
            Does.Contain("camera action 42"));

        using var other = MjModel.FromXmlString(Scene);
        using var otherData = other.MakeData();
        Assert.Throws<ArgumentException>(() => _scene.Update(otherData));

        _scene.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _ = _scene.Camera);
    }
}
