using Robotics.Core.Envs;
using Robotics.Core.Seeding;

namespace Robotics.Agents.Buffers;

/// <summary>
/// Hindsight experience replay (Andrychowicz et al. 2017) with the "future" strategy, relabelling as minibatches are
/// drawn (SB3's HerReplayBuffer): a drawn transition is, with probability 1 − 1/(k + 1) for k sampled goals, given as
/// its goal where the object (or hand) actually was after a later step of the same episode, and its reward is
/// recomputed for that goal. Episodes that missed their goal then still teach how to move the object to where it went.
/// Keeps, beside the replay buffer's rows, each row's step record (<see cref="IGoalRewards.Record"/>) and how many
/// rows of its episode follow it; the buffer calls <see cref="Rewrite"/> on every row it draws.
/// </summary>
public sealed class HindsightRelabeler
{
    private readonly IGoalRewards _goals;
    private readonly int _capacity, _recordSize;
    private readonly float[] _records;      // [capacity × record size]: the record of each row's next state
    private readonly int[] _stepsToEnd;     // rows of the same episode after this one; −1 while its episode runs
    private readonly float[] _goal;
    private int _episodeStart, _episodeLength, _newest = -1;

    /// <summary>Numbers in one step's record.</summary>
    public int RecordSize => _recordSize;
    /// <summary>The fraction of drawn rows that get a hindsight goal: 1 − 1/(k + 1), 0.8 for SB3's k = 4.</summary>
    public double RelabelFraction { get; }

    public HindsightRelabeler(IGoalRewards goals, int capacity, int sampledGoals)
    {
        if (sampledGoals < 1) throw new ArgumentOutOfRangeException(nameof(sampledGoals), $"HER needs at least 1 sampled goal per real one, got {sampledGoals}");
        (_goals, _capacity, _recordSize) = (goals, capacity, goals.RecordSize);
        RelabelFraction = 1 - 1.0 / (sampledGoals + 1);
        _records = new float[(long)capacity * _recordSize];
        _stepsToEnd = new int[capacity];
        _goal = new float[goals.GoalSize];
    }

    /// <summary>Called after the buffer stored a transition in <paramref name="row"/>: records the env's state after it.</summary>
    public void Stored(int row, bool episodeEnded)
    {
        _goals.Record(_records.AsSpan(row * _recordSize, _recordSize));
        Append(row, episodeEnded);
    }

    private void Append(int row, bool episodeEnded)
    {
        if (_episodeLength == 0) _episodeStart = row;
        _stepsToEnd[row] = -1;
        if (_episodeLength < _capacity) _episodeLength++;
        else _episodeStart = (row + 1) % _capacity; // an episode longer than the ring: its oldest row left is the next one
        _newest = row;
        if (episodeEnded) CloseEpisode();
    }

    private void CloseEpisode()
    {
        for (int k = 0; k < _episodeLength; k++) _stepsToEnd[(_episodeStart + k) % _capacity] = _episodeLength - 1 - k;
        _episodeLength = 0;
    }

    /// <summary>
    /// Gives a drawn row, already copied into the batch, a hindsight goal with probability <see cref="RelabelFraction"/>:
    /// the goal achieved after a row drawn uniformly from this one to its episode's last (or the newest, while the episode
    /// runs), written into both observations, and the reward recomputed for it. A goal that is not
    /// <see cref="IGoalRewards.Informative"/> (an untouched object's) is not used: the row keeps its own goal.
    /// </summary>
    public void Rewrite(Rng rng, int row, Span<float> observation, Span<float> nextObservation, ReadOnlySpan<float> action, ref float reward)
    {
        if (rng.NextDouble() >= RelabelFraction) return;
        int after = _stepsToEnd[row] >= 0 ? _stepsToEnd[row] : (_newest - row + _capacity) % _capacity;
        int future = (row + rng.NextInt(after + 1)) % _capacity;
        _goals.AchievedGoal(_records.AsSpan(future * _recordSize, _recordSize), _goal);
        var record = _records.AsSpan(row * _recordSize, _recordSize);
        // Push's puck mostly sits where it started: those goals would have four fifths of every minibatch say that any
        // action earns the solved reward, drowning the shaping that gets the hand to the puck (docs/results.md).
        if (!_goals.Informative(record, _goal)) return;
        _goal.CopyTo(observation.Slice(_goals.GoalOffset, _goal.Length));
        _goal.CopyTo(nextObservation.Slice(_goals.GoalOffset, _goal.Length));
        reward = (float)_goals.Reward(record, action, _goal);
    }

    /// <summary>Each row's step record, [capacity × <see cref="RecordSize"/>], for a checkpoint (the caller wraps it without copying).</summary>
    public float[] Records => _records;
    /// <summary>Each row's count of later rows in its episode (−1 while it runs), for a checkpoint.</summary>
    public int[] StepsToEnd => _stepsToEnd;

    /// <summary>
    /// Restores row <paramref name="savedRow"/> of a saved state into <paramref name="row"/>, rows oldest first as the
    /// replay buffer reloads them. Call <see cref="FinishLoading"/> after the last.
    /// </summary>
    public void LoadRow(int row, ReadOnlySpan<float> savedRecords, ReadOnlySpan<int> savedStepsToEnd, int savedRow)
    {
        savedRecords.Slice(savedRow * _recordSize, _recordSize).CopyTo(_records.AsSpan(row * _recordSize, _recordSize));
        if (savedStepsToEnd[savedRow] < 0) Append(row, episodeEnded: false);
        else (_stepsToEnd[row], _newest) = (savedStepsToEnd[savedRow], row);
    }

    /// <summary>
    /// Ends the episode a checkpoint cut short (the last step's checkpoint can fall mid-episode; a resumed run starts a
    /// new one), so its rows never draw goals from the next episode's.
    /// </summary>
    public void FinishLoading() => CloseEpisode();
}
