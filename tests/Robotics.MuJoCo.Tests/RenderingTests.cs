using NUnit.Framework;
using Robotics.MuJoCo.Rendering;

namespace Robotics.MuJoCo.Tests;

/// <summary>OSMesa rendering of the humanoid (one renderer for the fixture: making a context costs ~1 s).</summary>
public class RenderingTests
{
    private const int Width = 160, Height = 120;
    private static readonly RenderCamera Front = RenderCamera.Free((0, 0, 1), distance: 4, azimuth: 90, elevation: -15);

    private MjModel _model = null!;
    private MjData _data = null!;
    private OffscreenRenderer _renderer = null!;

    [OneTimeSetUp]
    public void Create()
    {
        _model = TestModels.Humanoid();
        _data = _model.MakeData();
        _renderer = new OffscreenRenderer(_model, Width, Height, GlBackend.OSMesa);
    }

    [OneTimeTearDown]
    public void Free()
    {
        _renderer.Dispose();
        _data.Dispose();
        _model.Dispose();
    }

    [SetUp]
    public void ResetScene()
    {
        _data.Reset();
        _data.Forward();
        _renderer.Options = RenderOptions.Default;
    }

    [Test]
    public void Context_is_mesa_software_rendering() =>
        Assert.That(_renderer.GlInfo, Does.StartWith("osmesa").And.Contain("llvmpipe"));

    [Test]
    public void Humanoid_frame_is_not_blank()
    {
        var rgb = _renderer.RenderRgb(_data, Front);
        Assert.That(rgb, Has.Length.EqualTo(Width * Height * 3));
        Assert.That(DistinctColours(rgb), Is.GreaterThan(50), "a scene, not a cleared buffer");
    }

    [Test]
    public void Rendering_the_same_state_twice_gives_identical_images()
    {
        var first = _renderer.RenderRgb(_data, Front);
        var second = _renderer.RenderRgb(_data, Front);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void A_frame_does_not_depend_on_the_camera_of_the_frame_before()
    {
        var back = RenderCamera.Named("back");
        var afterFront = RenderAfter(Front, back);
        var afterBack = RenderAfter(back, back);
        Assert.That(afterFront, Is.EqualTo(afterBack), "the floor grid follows this frame's camera, not the last one's");
    }

    [Test]
    public void Frame_changes_when_the_body_moves()
    {
        var before = _renderer.RenderRgb(_data, Front);
        _data.Qpos[0] += 0.6; // slide the torso sideways in the camera's view
        _data.Forward();
        var after = _renderer.RenderRgb(_data, Front);
        Assert.That(ChangedPixels(before, after), Is.GreaterThan(Width * Height / 50));
    }

    [Test]
    public void Depth_is_finite_metres_and_row_zero_is_the_top()
    {
        var depth = _renderer.RenderDepth(_data, Front);
        Assert.That(depth, Has.Length.EqualTo(Width * Height));
        Assert.That(depth, Has.All.Matches<float>(d => float.IsFinite(d) && d > 0));
        // Looking slightly down: the bottom row sees the floor nearby, the top row the far distance.
        var top = depth.AsSpan(0, Width).ToArray().Average();
        var bottom = depth.AsSpan((Height - 1) * Width, Width).ToArray().Average();
        Assert.That(top, Is.GreaterThan(bottom));
        var centre = depth[Height / 2 * Width + Width / 2];
        Assert.That(centre, Is.InRange(3.0f, 5.0f), "the humanoid stands ~4 m from the camera");
    }

    [Test]
    public void Depth_is_the_distance_along_the_view_axis()
    {
        // The box scene's overhead camera sits 4 m above the floor, looking straight down; the box's
        // top face is at 0.3 m. Floor pixels must read 4 m everywhere, the box centre 3.7 m.
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.Forward();
        using var renderer = new OffscreenRenderer(model, 64, 64, GlBackend.OSMesa);
        var depth = renderer.RenderDepth(data, RenderCamera.Named("overhead"));
        Assert.That(depth[0], Is.EqualTo(4.0f).Within(1e-3f), "corner: floor");
        Assert.That(depth[63 * 64 + 63], Is.EqualTo(4.0f).Within(1e-3f), "opposite corner: floor");
        Assert.That(depth[32 * 64 + 32], Is.EqualTo(3.7f).Within(1e-3f), "centre: top of the box");
    }

    [Test]
    public void Rgb_and_depth_come_from_one_render_together()
    {
        var rgb = new byte[Width * Height * 3];
        var depth = new float[Width * Height];
        _renderer.Render(_data, Front, rgb, depth);
        Assert.That(rgb, Is.EqualTo(_renderer.RenderRgb(_data, Front)));
        Assert.That(depth, Is.EqualTo(_renderer.RenderDepth(_data, Front)));
    }

    [Test]
    public void Named_cameras_render_and_unknown_cameras_throw_naming_them()
    {
        var side = _renderer.RenderRgb(_data, RenderCamera.Named("side"));
        var back = _renderer.RenderRgb(_data, RenderCamera.Fixed(_model.GetId(MjObject.Camera, "back")));
        Assert.That(DistinctColours(side), Is.GreaterThan(50));
        Assert.That(side, Is.Not.EqualTo(back));

        var error = Assert.Throws<MuJoCoException>(() => _renderer.RenderRgb(_data, RenderCamera.Named("nope")))!;
        Assert.That(error.Message, Does.Contain("no camera named 'nope'"));
        Assert.Throws<MuJoCoException>(() => _renderer.RenderRgb(_data, RenderCamera.Fixed(_model.Ncam)));
    }

    [Test]
    public void Default_camera_and_fast_options_still_show_the_scene()
    {
        var full = _renderer.RenderRgb(_data, RenderCamera.Default);
        _renderer.Options = RenderOptions.Fast;
        var fast = _renderer.RenderRgb(_data, RenderCamera.Default);
        Assert.That(DistinctColours(fast), Is.GreaterThan(20));
        Assert.That(fast, Is.Not.EqualTo(full), "no shadows, reflections or skybox");
    }

    [Test]
    public void Any_thread_may_render_one_at_a_time()
    {
        var here = _renderer.RenderRgb(_data, Front);
        var there = Task.Run(() => _renderer.RenderRgb(_data, Front)).GetAwaiter().GetResult();
        Assert.That(there, Is.EqualTo(here));
    }

    [Test]
    public void Wrong_buffers_and_foreign_data_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _renderer.Render(_data, Front, new byte[10], default))!;
        Assert.That(error.Message, Does.Contain("10 elements").And.Contain($"{Width * Height * 3}"));
        Assert.Throws<ArgumentException>(() => _renderer.Render(_data, Front, default, new float[Width * Height + 1]));

        using var other = TestModels.Box();
        using var otherData = other.MakeData();
        Assert.Throws<ArgumentException>(() => _renderer.RenderRgb(otherData, Front));
    }

    [Test]
    public void A_second_renderer_of_another_model_works_and_disposes()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.Forward();
        var renderer = new OffscreenRenderer(model, 64, 48, GlBackend.OSMesa);
        var rgb = renderer.RenderRgb(data, RenderCamera.Named("overhead"));
        Assert.That(DistinctColours(rgb), Is.GreaterThan(2));
        renderer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => renderer.RenderRgb(data, RenderCamera.Default));
        Assert.That(DistinctColours(_renderer.RenderRgb(_data, Front)), Is.GreaterThan(50), "the fixture renderer is unaffected");
    }

    [Test]
    public void Backend_comes_from_MUJOCO_GL()
    {
        Assert.That(GlBackends.Parse(null), Is.EqualTo(GlBackend.OSMesa));
        Assert.That(GlBackends.Parse("EGL"), Is.EqualTo(GlBackend.Egl));
        Assert.That(GlBackends.Parse("osmesa"), Is.EqualTo(GlBackend.OSMesa));
        var error = Assert.Throws<MuJoCoException>(() => GlBackends.Parse("glfw"))!;
        Assert.That(error.Message, Does.Contain("MUJOCO_GL='glfw'"));
    }

    [Test]
    public void The_other_backend_is_refused_once_one_is_in_use()
    {
        var error = Assert.Throws<MuJoCoException>(() => new OffscreenRenderer(_model, 32, 32, GlBackend.Egl))!;
        Assert.That(error.Message, Does.Contain("MUJOCO_GL=osmesa").And.Contain("one backend per process"));
    }

    private byte[] RenderAfter(RenderCamera previous, RenderCamera camera)
    {
        _renderer.RenderRgb(_data, previous);
        return _renderer.RenderRgb(_data, camera);
    }

    private static int DistinctColours(byte[] rgb)
    {
        var colours = new HashSet<int>();
        for (var i = 0; i < rgb.Length; i += 3) colours.Add(rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2]);
        return colours.Count;
    }

    private static int ChangedPixels(byte[] a, byte[] b)
    {
        var changed = 0;
        for (var i = 0; i < a.Length; i += 3)
            if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2]) changed++;
        return changed;
    }
}
