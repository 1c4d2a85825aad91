namespace Robotics.MuJoCo.Rendering;

/// <summary>
/// Where a frame is seen from: a camera defined in the model (by name or id), a free camera
/// orbiting a point, or the model's default free view (also what <c>default(RenderCamera)</c> is).
/// </summary>
public readonly record struct RenderCamera
{
    private enum Kind { ModelDefault, Named, Fixed, Free }

    private readonly Kind _kind;
    private readonly int _id;

    private RenderCamera(Kind kind, int id = 0, string? name = null, (double X, double Y, double Z) lookat = default,
        double distance = 0, double azimuth = 0, double elevation = 0)
    {
        _kind = kind;
        _id = id;
        Name = name;
        Lookat = lookat;
        Distance = distance;
        Azimuth = azimuth;
        Elevation = elevation;
    }

    // The shim's selectors: >= 0 a fixed camera id, -1 the free camera, -2 the model's default free camera.
    private const int FreeSelector = -1;
    private const int DefaultSelector = -2;

    /// <summary>The model camera's name, when chosen by name.</summary>
    public string? Name { get; }

    /// <summary>For a free camera: the point looked at, the distance to it (m), and the angles (degrees).</summary>
    public (double X, double Y, double Z) Lookat { get; }
    public double Distance { get; }
    public double Azimuth { get; }
    public double Elevation { get; }

    /// <summary>The model's default free camera (mjv_defaultFreeCamera: looks at the model's center from its visual settings).</summary>
    public static RenderCamera Default => default;

    /// <summary>A camera defined in the model, by name; resolved when rendering (unknown names throw <see cref="MuJoCoException"/>).</summary>
    public static RenderCamera Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new RenderCamera(Kind.Named, name: name);
    }

    /// <summary>A camera defined in the model, by id.</summary>
    public static RenderCamera Fixed(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return new RenderCamera(Kind.Fixed, id: id);
    }

    /// <summary>A free camera looking at <paramref name="lookat"/> from <paramref name="distance"/> metres; angles in degrees.</summary>
    public static RenderCamera Free((double X, double Y, double Z) lookat, double distance, double azimuth, double elevation)
    {
        if (!(distance > 0) || double.IsInfinity(distance))
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "must be positive and finite");
        return new RenderCamera(Kind.Free, lookat: lookat, distance: distance, azimuth: azimuth, elevation: elevation);
    }

    /// <summary>The shim's camera selector for <paramref name="model"/>.</summary>
    internal int Resolve(MjModel model) => _kind switch
    {
        Kind.Named => model.GetId(MjObject.Camera, Name!),
        Kind.Fixed when _id >= model.Ncam =>
            throw new MuJoCoException($"camera id {_id} does not exist: model '{model.Name}' has {model.Ncam} camera(s)"),
        Kind.Fixed => _id,
        Kind.Free => FreeSelector,
        _ => DefaultSelector,
    };

    public override string ToString() => _kind switch
    {
        Kind.Named => $"camera '{Name}'",
        Kind.Fixed => $"camera #{_id}",
        Kind.Free => $"free camera at {Lookat}, distance {Distance}, azimuth {Azimuth}, elevation {Elevation}",
        _ => "default free camera",
    };
}
