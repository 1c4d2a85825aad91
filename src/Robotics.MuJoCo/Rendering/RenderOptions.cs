namespace Robotics.MuJoCo.Rendering;

/// <summary>
/// Scene features for each frame. Shadows, reflections and the skybox cost the most on a CPU
/// renderer (OSMesa draws the scene several times for them); <see cref="Fast"/> switches them off.
/// </summary>
public sealed record RenderOptions
{
    public bool Shadows { get; init; } = true;
    public bool Reflections { get; init; } = true;
    public bool Skybox { get; init; } = true;

    /// <summary>MuJoCo's defaults: everything on.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>No shadows, reflections or skybox: several times faster on OSMesa.</summary>
    public static RenderOptions Fast { get; } = new() { Shadows = false, Reflections = false, Skybox = false };

    /// <summary>The shim's RMJ_RENDER_* bit mask.</summary>
    internal int Flags => (Shadows ? 1 : 0) | (Reflections ? 2 : 0) | (Skybox ? 4 : 0);
}
