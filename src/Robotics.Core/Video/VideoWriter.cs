using System.Diagnostics;
using Robotics.Core.Images;

namespace Robotics.Core.Video;

/// <summary>
/// Writes RGB frames to an MP4 (H.264, yuv420p so browsers play it) or an animated GIF by piping raw frames to
/// ffmpeg. The container follows the file extension. Dispose finishes the file and reports ffmpeg's own error
/// text if it failed, so a broken video never passes silently.
/// </summary>
public sealed class VideoWriter : IDisposable
{
    private readonly Process _ffmpeg;
    private readonly Stream _stdin;
    private readonly Task<string> _stderr;
    private readonly int _frameBytes;
    private bool _finished;

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }
    public int FrameCount { get; private set; }

    public VideoWriter(string path, int width, int height, double fps = 30)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"video size must be positive, got {width}x{height}");
        if (!(fps > 0)) throw new ArgumentOutOfRangeException(nameof(fps), $"fps must be positive, got {fps}");
        Path = System.IO.Path.GetFullPath(path);
        Width = width;
        Height = height;
        _frameBytes = width * height * 3;
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (dir != null) Directory.CreateDirectory(dir);

        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var output = extension switch
        {
            // H.264 needs even sizes; pad by one pixel rather than fail on odd render sizes.
            ".mp4" => "-vf pad=ceil(iw/2)*2:ceil(ih/2)*2 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -movflags +faststart",
            ".gif" => "-vf split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse -loop 0",
            _ => throw new ArgumentException($"unsupported video extension '{extension}' (use .mp4 or .gif)", nameof(path)),
        };
        var info = new ProcessStartInfo("ffmpeg")
        {
            Arguments = $"-hide_banner -loglevel error -y -f rawvideo -pix_fmt rgb24 -s {width}x{height} -r {fps.ToString(System.Globalization.CultureInfo.InvariantCulture)} -i - {output} \"{Path}\"",
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _ffmpeg = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ffmpeg was not found on PATH; ./robo installs it (Debian package ffmpeg)", e);
        }
        _stdin = _ffmpeg.StandardInput.BaseStream;
        _stderr = _ffmpeg.StandardError.ReadToEndAsync();
    }

    public void WriteFrame(RgbImage frame)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height} but the video is {Width}x{Height}", nameof(frame));
        WriteFrame(frame.Pixels);
    }

    public void WriteFrame(ReadOnlySpan<byte> rgb)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (rgb.Length != _frameBytes)
            throw new ArgumentException($"a {Width}x{Height} RGB frame has {_frameBytes} bytes, got {rgb.Length}", nameof(rgb));
        try
        {
            _stdin.Write(rgb);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"ffmpeg stopped while writing {Path}: {_stderr.Result.Trim()}", e);
        }
        FrameCount++;
    }

    /// <summary>Closes the stream and waits for ffmpeg; throws with its message if the file was not written.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        try { _stdin.Dispose(); } catch (IOException) { /* ffmpeg already exited; its exit code tells why */ }
        _ffmpeg.WaitForExit();
        var error = _stderr.Result.Trim();
        var code = _ffmpeg.ExitCode;
        _ffmpeg.Dispose();
        if (code != 0) throw new InvalidOperationException($"ffmpeg failed writing {Path} (exit {code}): {error}");
        if (FrameCount == 0) throw new InvalidOperationException($"no frames were written to {Path}");
    }

    public void Dispose()
    {
        if (!_finished) Finish();
    }
}
