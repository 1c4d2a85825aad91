using Robotics.Core.Images;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Vision;

/// <summary>
/// A reward source that reads rendered frames rather than the state view (CLIP rewards, VLM judges). It labels frames
/// in batches, because its model is cheap per frame only in batches; the frame is the scene after the step, as the
/// state view is for state-based sources.
/// </summary>
public interface IFrameRewardSource
{
    string Name { get; }

    /// <summary>One label per frame, in order.</summary>
    RewardLabel[] LabelFrames(IReadOnlyList<RgbImage> frames);
}
