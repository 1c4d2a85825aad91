using System.Diagnostics;
using NUnit.Framework;
using Robotics.Core.Images;

namespace Robotics.Core.Tests;

public class PngTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var p = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int i = (y * w + x) * 3;
            p[i] = (byte)(x * 255 / Math.Max(1, w - 1));
            p[i + 1] = (byte)(y * 255 / Math.Max(1, h - 1));
            p[i + 2] = (byte)((x * 7 + y * 13) & 0xFF);
        }
        return RgbImage.Create(w, h, p);
    }

    [Test]
    public void RoundTripKeepsEveryPixel()
    {
        var image = Gradient(37, 23);
        using var stream = new MemoryStream();
        Png.Write(stream, image);
        stream.Position = 0;
        var back = Png.Read(stream);
        Assert.That(back.Width, Is.EqualTo(37));
        Assert.That(back.Height, Is.EqualTo(23));
        Assert.That(back.Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void FfmpegDecodesOurPngToTheSamePixels()
    {
        var image = Gradient(16, 9);
        var dir = Directory.CreateTempSubdirectory("png");
        var path = Path.Combine(dir.FullName, "g.png");
        Png.Write(path, image);
        // An independent decoder: ffmpeg reads our PNG and dumps raw RGB.
        var info = new ProcessStartInfo("ffmpeg", $"-hide_banner -loglevel error -i \"{path}\" -f rawvideo -pix_fmt rgb24 -")
        { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero);
        Assert.That(ms.ToArray(), Is.EqualTo(image.Pixels));
    }

    [Test]
    public void CorruptFileGivesAClearError()
    {
        var image = Gradient(8, 8);
        using var stream = new MemoryStream();
        Png.Write(stream, image);
        var bytes = stream.ToArray();
        bytes[40] ^= 0xFF; // inside IDAT
        var e = Assert.Throws<InvalidDataException>(() => Png.Read(new MemoryStream(bytes)));
        Assert.That(e!.Message, Does.Contain("CRC"));
        Assert.Throws<InvalidDataException>(() => Png.Read(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
    }

    [Test]
    public void WrongPixelCountIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => RgbImage.Create(4, 4, new byte[47]));
        Assert.That(e!.Message, Does.Contain("48"));
    }

    [Test]
    public void UniformAndDistinctColours()
    {
        Assert.That(RgbImage.Create(2, 2, new byte[12]).IsUniform(), Is.True);
        Assert.That(Gradient(4, 4).IsUniform(), Is.False);
        Assert.That(Gradient(4, 4).DistinctColours(), Is.EqualTo(16));
    }
}
