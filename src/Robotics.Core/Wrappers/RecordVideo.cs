using Robotics.Core.Envs;
using Robotics.Core.Video;

namespace Robotics.Core.Wrappers;

/// <summary>Records the episodes a trigger selects to {folder}/{prefix}-episode-{n}.mp4, one frame per step.</summary>
public sealed class RecordVideo(IEnv inner, string folder, Func<int, bool>? episodeTrigger = null, string prefix = "rl-video", double fps = 30)
    : EnvWrapper(inner)
{
    private readonly Func<int, bool> _trigger = episodeTrigger ?? (_ => true);
    private VideoWriter? _writer;
    private int _episode = -1;
    public List<string> Written { get; } = [];

    public override ResetResult Reset(int? seed = null)
    {
        Close();
        var r = Inner.Reset(seed);
        _episode++;
        if (_trigger(_episode))
        {
            var frame = Inner.Render();
            _writer = new VideoWriter(Path.Combine(folder, $"{prefix}-episode-{_episode}.mp4"), frame.Width, frame.Height, fps);
            _writer.WriteFrame(frame);
        }
        return r;
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var r = Inner.Step(action);
        _writer?.WriteFrame(Inner.Render());
        if (r.Done) Close();
        return r;
    }

    private void Close()
    {
        if (_writer == null) return;
        _writer.Finish();
        Written.Add(_writer.Path);
        _writer = null;
    }

    public override void Dispose()
    {
        Close();
        base.Dispose();
    }
}
