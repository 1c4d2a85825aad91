namespace Robotics.MuJoCo.Rendering;

/// <summary>
/// Where a frame is seen from: a camera defined in the model (by name or id), a free camera
/// orbiting a point, or the model's default free view.
/// </summary>
public readonly record struct RenderCamera
{
    private RenderCamera(int id, string? name, (double X, double Y, double Z) lookat, double distance, double azimuth, double elevation)
    {
        Id = id;
        Name = name;
        Lookat = lookat;
        Distance = distance;
        Azimuth = azimuth;
        Elevation = elevation;
    }

    // Shim selectors: >= 0 fixed camera id, -1 free camera, -2 the model's default free camera.
    internal const int FreeId = -1;
    internal const int DefaultFreeId = -2;

    internal int Id { get; }

    /// <summary>The model camera's name, when chosen by name.</summary>
    public string? Name { get; }

    public (double X, double Y, double Z) Lookat { get; }
    public double Distance { get; }
    public double Azimuth { get; }
    public double Elevation { get; }

    /// <summary>The model's default free camera (mjv_defaultFreeCamera: looks at the model's center).</summary>
    public static RenderCamera Default { get; } = new(DefaultFreeId, null, default, 0, 0, 0);

    /// <summary>A camera defined in the model, by name; resolved when rendering (unknown names throw <see cref="MuJoCoException"/>).</summary>
    public static RenderCamera Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new RenderCamera(0, name, default, 0, 0, 0);
    }

    /// <summary>A camera defined in the model, by id.</summary>
    public static RenderCamera Fixed(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return new RenderCamera(id, null, default, 0, 0, 0);
    }

    /// <summary>A free camera looking at <paramref name="lookat"/> from <paramref name="distance"/> metres, angles in degrees.</summary>
    public static RenderCamera Free((double X, double Y, double Z) lookat, double distance, double azimuth, double elevation)
    {
        if (!(distance > 0) || double.IsInfinity(distance))
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "must be positive and finite");
        return new RenderCamera(FreeId, null, lookat, distance, azimuth, elevation);
    }

    /// <summary>The shim's camera selector for <paramref name="model"/>.</summary>
    internal int Resolve(MjModel model)
    {
        if (Name is not null) return model.GetId(MjObject.Camera, Name);
        if (Id >= 0 && Id >= model.Ncam)
            throw new MuJoCoException($"camera id {Id} does not exist: model '{model.Name}' has {model.Ncam} camera(s)");
        return Id;
    }

    public override string ToString() => Id switch
    {
        _ when Name is not null => $"camera '{Name}'",
        DefaultFreeId => "default free camera",
        FreeId => $"free camera at {Lookat}, distance {Distance}, azimuth {Azimuth}, elevation {Elevation}",
        _ => $"camera #{Id}",
    };
}
