using Robotics.MuJoCo.Native;
using Robotics.MuJoCo.Rendering;

namespace Robotics.MuJoCo.Viewing;

/// <summary>How a mouse gesture moves the free camera; values are MuJoCo's mjtMouse.</summary>
public enum CameraMotion
{
    /// <summary>Orbit: horizontal motion turns the azimuth, vertical motion the elevation.</summary>
    RotateVertical = 1,
    RotateHorizontal = 2,
    /// <summary>Pan the look-at point in the camera's vertical plane.</summary>
    MoveVertical = 3,
    /// <summary>Pan the look-at point in the horizontal plane.</summary>
    MoveHorizontal = 4,
    /// <summary>Change the distance: positive dy (a downward drag) moves closer, negative moves away.</summary>
    Zoom = 5,
}

/// <summary>MuJoCo's visualisation flags (mjtVisFlag, MuJoCo 2.2), in its order.</summary>
public enum VisualFlag
{
    ConvexHull, Texture, Joint, Camera, Actuator, Activation, Light, Tendon, RangeFinder, Constraint, Inertia,
    ScaledInertia, PerturbationForce, PerturbationObject, ContactPoint, ContactForce, ContactSplit, Transparent,
    AutoConnect, CenterOfMass, Selection, Static, Skin,
}

/// <summary>
/// What a viewer shows and from where, without any GL: MuJoCo's abstract scene (mjvScene) built from an
/// <see cref="MjData"/>, a free camera that mouse gestures move (mjv_moveCamera), and the visual options
/// (mjvOption). <see cref="WindowRenderer"/> draws it into a window; on its own it is what the camera and
/// option logic can be checked with, headless.
/// </summary>
public sealed unsafe class ViewerScene : IDisposable
{
    internal ViewerHandle Handle { get; }

    /// <summary>A scene for <paramref name="model"/>, seen from the model's default free camera.</summary>
    public ViewerScene(MjModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ThrowIfDisposed();
        Model = model;
        NativeStatus.Check(NativeMethods.rmj_viewer_create(model.Handle, out var viewer));
        Handle = new ViewerHandle(viewer, model.Handle);
    }

    public MjModel Model { get; }

    /// <summary>The free camera's pose (look-at point, distance in metres, azimuth and elevation in degrees).</summary>
    public RenderCamera Camera
    {
        get
        {
            var lookat = stackalloc double[3];
            NativeStatus.Check(NativeMethods.rmj_viewer_camera(Live, lookat, out var distance, out var azimuth, out var elevation));
            return RenderCamera.Free((lookat[0], lookat[1], lookat[2]), distance, azimuth, elevation);
        }
    }

    /// <summary>Places the free camera; angles in degrees.</summary>
    public void SetCamera((double X, double Y, double Z) lookat, double distance, double azimuth, double elevation)
    {
        var point = stackalloc double[] { lookat.X, lookat.Y, lookat.Z };
        NativeStatus.Check(NativeMethods.rmj_viewer_set_camera(Live, point, distance, azimuth, elevation));
    }

    /// <summary>
    /// Puts the free camera where a camera of the model is (by name), looking along its axis at the point of that
    /// axis nearest the model's center (its &lt;statistic center&gt;), so the mouse then orbits the scene. The free
    /// camera keeps the model's global field of view. <paramref name="data"/> must have kinematics (Forward).
    /// </summary>
    /// <exception cref="MuJoCoException">The model has no camera of that name.</exception>
    public void LookFrom(string cameraName, MjData data)
    {
        ArgumentException.ThrowIfNullOrEmpty(cameraName);
        CheckData(data);
        var id = Model.GetId(MjObject.Camera, cameraName);
        NativeStatus.Check(NativeMethods.rmj_viewer_look_from(Live, Model.Handle, data.Handle, id));
    }

    /// <summary>
    /// Moves the camera as MuJoCo's own viewer does for a mouse gesture of (<paramref name="dx"/>, <paramref name="dy"/>)
    /// window heights: rotating turns by 180° per window height (azimuth −dx·180, elevation −dy·180), moving pans the
    /// look-at point so the scene follows the cursor, zooming scales the distance. <paramref name="data"/> places the
    /// camera before the move.
    /// </summary>
    public void MoveCamera(CameraMotion motion, double dx, double dy, MjData data)
    {
        CheckData(data);
        NativeStatus.Check(NativeMethods.rmj_viewer_move_camera(Live, Model.Handle, data.Handle, (int)motion, dx, dy));
    }

    public bool GetFlag(VisualFlag flag)
    {
        NativeStatus.Check(NativeMethods.rmj_viewer_flag(Live, (int)flag, out var value));
        return value != 0;
    }

    public void SetFlag(VisualFlag flag, bool on) =>
        NativeStatus.Check(NativeMethods.rmj_viewer_set_flag(Live, (int)flag, on ? 1 : 0));

    /// <summary>Contact points and contact forces, shown or hidden together.</summary>
    public bool ContactsVisible
    {
        get => GetFlag(VisualFlag.ContactPoint) && GetFlag(VisualFlag.ContactForce);
        set
        {
            SetFlag(VisualFlag.ContactPoint, value);
            SetFlag(VisualFlag.ContactForce, value);
        }
    }

    /// <summary>Rebuilds the scene from <paramref name="data"/> as it is (mjv_updateScene) and the camera's pose.</summary>
    public void Update(MjData data)
    {
        CheckData(data);
        NativeStatus.Check(NativeMethods.rmj_viewer_update(Live, Model.Handle, data.Handle));
    }

    /// <summary>Geoms in the scene after the last <see cref="Update"/>: the model's visible geoms plus decorations (contacts, ...).</summary>
    public int GeomCount
    {
        get
        {
            NativeStatus.Check(NativeMethods.rmj_viewer_scene_geoms(Live, out var ngeom));
            return ngeom;
        }
    }

    public void Dispose() => Handle.Dispose();

    internal ViewerHandle Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return Handle;
        }
    }

    private void CheckData(MjData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.ThrowIfDisposed();
        if (!ReferenceEquals(data.Model, Model))
            throw new ArgumentException("data belongs to a different MjModel than this scene", nameof(data));
    }
}
