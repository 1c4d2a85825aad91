using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Preferences.Models;

/// <summary>What a training session reports about one reward update.</summary>
public sealed record RewardUpdateResult(int Pairs, int Epochs, double Loss, double TrainAccuracy)
{
    /// <summary>Pairs held out from training to decide when to stop (0: B-Pref's stop on training accuracy).</summary>
    public int ValidationPairs { get; init; }
    public double? ValidationLoss { get; init; }
    public double? ValidationAccuracy { get; init; }
    /// <summary>The epoch whose weights were kept.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Namespaced as the agents' metrics are.</summary>
    public Dictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["reward_model/pairs"] = Pairs, ["reward_model/epochs"] = Epochs,
            ["reward_model/loss"] = Loss, ["reward_model/train_accuracy"] = TrainAccuracy,
        };
        if (ValidationLoss is double v) metrics["reward_model/validation_loss"] = v;
        if (ValidationAccuracy is double a) metrics["reward_model/validation_accuracy"] = a;
        return metrics;
    }
}

/// <summary>
/// A reward source learned from preferences: it labels transitions like any other source, and it also learns
/// (<see cref="Update"/>), relabels stored transitions in bulk, and saves and loads itself. It never sees an agent:
/// whoever owns a replay buffer hands it the buffer's rows to relabel.
/// </summary>
public interface ILearnedRewardSource : IRewardSource, IDisposable
{
    RewardUpdateResult Update(PreferenceDataset data);

    /// <summary>
    /// Rewards for <c>rewards.Length</c> stored transitions, each given as the observation after the step
    /// (<paramref name="nextObservations"/>, rows of 39) and the action (<paramref name="actions"/>, rows of the action size).
    /// </summary>
    void Relabel(ReadOnlySpan<float> nextObservations, ReadOnlySpan<float> actions, Span<float> rewards);

    void Save(string path);
    void Load(string path);
}
