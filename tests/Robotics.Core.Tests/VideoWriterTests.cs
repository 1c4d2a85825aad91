using System.Diagnostics;
using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Core.Video;

namespace Robotics.Core.Tests;

public class VideoWriterTests
{
    private static byte[] Frame(int w, int h, int t)
    {
        var p = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) { p[3 * i] = (byte)(t * 20); p[3 * i + 1] = (byte)(i % w * 4); p[3 * i + 2] = 128; }
        return p;
    }

    private static (int frames, string codec) Probe(string path)
    {
        var info = new ProcessStartInfo("ffprobe",
            $"-v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,codec_name -of csv=p=0 \"{path}\"")
        { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        var parts = text.Split(',');
        return (int.Parse(parts[1]), parts[0]);
    }

    [TestCase("clip.mp4", "h264")]
    [TestCase("clip.gif", "gif")]
    public void WritesEveryFrame(string name, string codec)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("video").FullName, name);
        using (var writer = new VideoWriter(path, 33, 21, fps: 10)) // odd size: MP4 pads it
            for (int t = 0; t < 12; t++) writer.WriteFrame(Frame(33, 21, t));
        var (frames, actualCodec) = Probe(path);
        Assert.That(frames, Is.EqualTo(12));
        Assert.That(actualCodec, Is.EqualTo(codec));
    }

    [Test]
    public void BadInputIsRejected()
    {
        var dir = Directory.CreateTempSubdirectory("video").FullName;
        Assert.Throws<ArgumentException>(() => new VideoWriter(Path.Combine(dir, "x.avi"), 8, 8));
        using var writer = new VideoWriter(Path.Combine(dir, "x.mp4"), 8, 8);
        var e = Assert.Throws<ArgumentException>(() => writer.WriteFrame(new byte[10]));
        Assert.That(e!.Message, Does.Contain("192"));
        Assert.Throws<ArgumentException>(() => writer.WriteFrame(RgbImage.Create(4, 4, new byte[48])));
        writer.WriteFrame(new byte[192]);
    }

    [Test]
    public void EmptyVideoIsAnError()
    {
        var writer = new VideoWriter(Path.Combine(Directory.CreateTempSubdirectory("video").FullName, "e.mp4"), 8, 8);
        Assert.Throws<InvalidOperationException>(() => writer.Finish());
    }
}
