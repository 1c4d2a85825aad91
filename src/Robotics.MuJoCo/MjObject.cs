namespace Robotics.MuJoCo;

/// <summary>MuJoCo's object types (mjtObj); the values are MuJoCo's and are passed through as-is.</summary>
public enum MjObject
{
    Body = 1,
    /// <summary>A body addressed by its regular frame instead of its inertial frame.</summary>
    XBody = 2,
    Joint = 3,
    Dof = 4,
    Geom = 5,
    Site = 6,
    Camera = 7,
    Light = 8,
    Mesh = 9,
    Skin = 10,
    HField = 11,
    Texture = 12,
    Material = 13,
    Pair = 14,
    Exclude = 15,
    Equality = 16,
    Tendon = 17,
    Actuator = 18,
    Sensor = 19,
    Numeric = 20,
    Text = 21,
    Tuple = 22,
    Key = 23,
}

internal static class MjObjectText
{
    /// <summary>The word used in messages ("no body named ...").</summary>
    internal static string Noun(this MjObject type) => type switch
    {
        MjObject.XBody => "body",
        MjObject.HField => "height field",
        MjObject.Key => "keyframe",
        _ => type.ToString().ToLowerInvariant(),
    };
}
