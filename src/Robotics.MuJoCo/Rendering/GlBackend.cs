namespace Robotics.MuJoCo.Rendering;

/// <summary>How the offscreen GL context is made. Values match the shim's RMJ_GL_* constants.</summary>
public enum GlBackend
{
    /// <summary>Mesa's OSMesa: CPU rendering (llvmpipe), needs no display and no GPU.</summary>
    OSMesa = 0,

    /// <summary>EGL without a window: a GPU when one is exposed (MUJOCO_EGL_DEVICE_ID picks it), else Mesa.</summary>
    Egl = 1,
}

/// <summary>Reads the backend from MUJOCO_GL, the variable MuJoCo's own Python tools use.</summary>
public static class GlBackends
{
    public const string EnvironmentVariable = "MUJOCO_GL";

    /// <summary>MUJOCO_GL=osmesa|egl; unset or empty means OSMesa.</summary>
    /// <exception cref="MuJoCoException">MUJOCO_GL names something this renderer cannot use (e.g. glfw).</exception>
    public static GlBackend FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static GlBackend Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "osmesa" => GlBackend.OSMesa,
        "egl" => GlBackend.Egl,
        _ => throw new MuJoCoException(
            $"{EnvironmentVariable}='{value}' is not an offscreen backend; use {EnvironmentVariable}=osmesa (CPU) or egl (GPU)"),
    };
}
