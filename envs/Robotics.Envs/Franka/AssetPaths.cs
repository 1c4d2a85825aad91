namespace Robotics.Envs.Franka;

/// <summary>
/// Where the MJCF assets are: $ROBOTICS_ASSETS, else $ROBOTICS_ROOT/assets (./robo sets it to the checkout), else
/// the copy the build places next to the assemblies.
/// </summary>
public static class AssetPaths
{
    public static string Root
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable("ROBOTICS_ASSETS");
            if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
            var root = Environment.GetEnvironmentVariable("ROBOTICS_ROOT");
            if (!string.IsNullOrEmpty(root) && Directory.Exists(Path.Combine(root, "assets"))) return Path.Combine(root, "assets");
            return Path.Combine(AppContext.BaseDirectory, "assets");
        }
    }

    public static string Resolve(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path)) throw new FileNotFoundException($"asset '{relative}' not found under {Root}", path);
        return path;
    }
}
