namespace Robotics.Core.Images;

/// <summary>An 8-bit RGB image, rows top to bottom, 3 bytes a pixel: the layout renderers and ffmpeg share.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage Create(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}x{height}");
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"an RGB image of {width}x{height} needs {width * height * 3} bytes, got {pixels.Length}", nameof(pixels));
        return new RgbImage(width, height, pixels);
    }

    /// <summary>True when every pixel has the same colour (a blank or failed render).</summary>
    public bool IsUniform()
    {
        var p = Pixels;
        for (int i = 3; i < p.Length; i += 3)
            if (p[i] != p[0] || p[i + 1] != p[1] || p[i + 2] != p[2]) return false;
        return true;
    }

    /// <summary>Number of distinct colours, a cheap check that a frame shows a scene.</summary>
    public int DistinctColours()
    {
        var seen = new HashSet<int>();
        for (int i = 0; i < Pixels.Length; i += 3) seen.Add(Pixels[i] << 16 | Pixels[i + 1] << 8 | Pixels[i + 2]);
        return seen.Count;
    }
}
