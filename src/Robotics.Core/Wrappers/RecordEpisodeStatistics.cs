using Robotics.Core.Envs;

namespace Robotics.Core.Wrappers;

/// <summary>Adds episode_return, episode_length and episode_success to the info of an episode's last step.</summary>
public sealed class RecordEpisodeStatistics(IEnv inner) : EnvWrapper(inner)
{
    public const string ReturnKey = "episode_return", LengthKey = "episode_length", SuccessKey = "episode_success";
    private double _return;
    private int _length;
    private bool _succeeded;

    public override ResetResult Reset(int? seed = null)
    {
        (_return, _length, _succeeded) = (0, 0, false);
        return Inner.Reset(seed);
    }

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var r = Inner.Step(action);
        _return += r.Reward;
        _length++;
        _succeeded |= r.Info.Success;
        if (r.Done)
        {
            r.Info[ReturnKey] = _return;
            r.Info[LengthKey] = _length;
            r.Info[SuccessKey] = _succeeded ? 1 : 0;
        }
        return r;
    }
}
