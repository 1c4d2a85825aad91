using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;

namespace Robotics.Agents.Tests;

[TestFixture]
public class HindsightRelabelerTests
{
    /// <summary>
    /// A goal env's rewards on a line: observations are [x, goal], a step's record is the x it reached (its achieved
    /// goal), and the reward is −|x − goal|.
    /// </summary>
    private sealed class LineGoals : IGoalRewards
    {
        public float X;
        public int GoalOffset => 1;
        public int GoalSize => 1;
        public int RecordSize => 1;
        public void Record(Span<float> record) => record[0] = X;
        public void AchievedGoal(ReadOnlySpan<float> record, Span<float> goal) => goal[0] = record[0];
        public double Reward(ReadOnlySpan<float> record, ReadOnlySpan<float> action, ReadOnlySpan<float> goal) => -Math.Abs(record[0] - goal[0]);
        public Func<float, bool> Informs = _ => true;
        public bool Informative(ReadOnlySpan<float> record, ReadOnlySpan<float> goal) => Informs(goal[0]);
    }

    /// <summary>Episodes of <paramref name="length"/> steps: step t of episode e reaches x = 100e + t (goal 1000 + e, reward 7).</summary>
    private static void Fill(ReplayBuffer buffer, LineGoals goals, int episodes, int length, int partialSteps = 0)
    {
        for (int e = 0; e <= episodes; e++)
            for (int t = 1; t <= (e < episodes ? length : partialSteps); t++)
            {
                goals.X = 100 * e + t;
                buffer.Add([goals.X - 1, 1000 + e], [0.5f], 7, [goals.X, 1000 + e], terminated: false);
                buffer.Hindsight!.Stored(buffer.LastRow, episodeEnded: t == length);
            }
    }

    private static List<(float X, float Goal, float NextGoal, float Reward)> Draw(ReplayBuffer buffer, Rng rng, int batches)
    {
        var rows = new List<(float, float, float, float)>();
        for (int k = 0; k < batches; k++)
        {
            var batch = buffer.Sample(rng);
            var obs = batch.Observations.ToArray<float>();
            var next = batch.NextObservations.ToArray<float>();
            var rewards = batch.Rewards.ToArray<float>();
            for (int b = 0; b < buffer.BatchSize; b++) rows.Add((next[2 * b], obs[2 * b + 1], next[2 * b + 1], rewards[b]));
        }
        return rows;
    }

    [Test]
    public void A_goal_the_episode_achieves_whatever_it_does_is_not_used()
    {
        // As push's puck left where it started: goals achieved in an episode's first 10 steps say nothing.
        var goals = new LineGoals { Informs = g => g % 100 > 10 };
        using var buffer = new ReplayBuffer(1000, 2, 1, 64);
        buffer.UseHindsight(goals, sampledGoals: 4);
        Fill(buffer, goals, episodes: 5, length: 20);
        int relabelled = 0, total = 0;
        foreach (var (x, goal, _, reward) in Draw(buffer, new Rng(3), 200))
        {
            total++;
            if (goal >= 1000)
            {
                Assert.That(reward, Is.EqualTo(7), "a row whose drawn goal says nothing keeps its own goal and reward");
                continue;
            }
            relabelled++;
            Assert.That(goal % 100, Is.GreaterThan(10), $"row x = {x} was given an uninformative goal {goal}");
            Assert.That(reward, Is.EqualTo(-(goal - x)));
        }
        // Rows after step 10 draw only informative goals; earlier rows draw one with probability (20 − 10) / (21 − t).
        double expected = 0.8 * (10 + Enumerable.Range(1, 10).Sum(t => 10.0 / (21 - t))) / 20;
        Assert.That(relabelled / (double)total, Is.EqualTo(expected).Within(0.02));
    }

    [Test]
    public void RelabelsFourFifthsWithGoalsAchievedLaterInTheSameEpisode()
    {
        var goals = new LineGoals();
        using var buffer = new ReplayBuffer(1000, 2, 1, 64);
        buffer.UseHindsight(goals, sampledGoals: 4);
        Fill(buffer, goals, episodes: 5, length: 20, partialSteps: 7);
        int relabelled = 0, total = 0;
        foreach (var (x, goal, nextGoal, reward) in Draw(buffer, new Rng(3), 200))
        {
            total++;
            int episode = (int)(x / 100);
            Assert.That(nextGoal, Is.EqualTo(goal), "both observations carry the same goal");
            if (goal >= 1000)
            {
                Assert.That(goal, Is.EqualTo(1000 + episode), "a row not relabelled keeps its own goal");
                Assert.That(reward, Is.EqualTo(7));
                continue;
            }
            relabelled++;
            Assert.That((int)(goal / 100), Is.EqualTo(episode), $"the goal {goal} of row x = {x} comes from its own episode");
            Assert.That(goal, Is.GreaterThanOrEqualTo(x), "from this step or a later one");
            Assert.That(goal % 100, Is.LessThanOrEqualTo(episode < 5 ? 20 : 7), "never past the episode's last stored step");
            Assert.That(reward, Is.EqualTo(-(goal - x)), "the reward is recomputed for the new goal");
        }
        Assert.That(relabelled / (double)total, Is.EqualTo(0.8).Within(0.02));
    }

    [Test]
    public void RingThatOverwroteAnEpisodeStartStillDrawsWithinEachEpisode()
    {
        var goals = new LineGoals();
        using var buffer = new ReplayBuffer(50, 2, 1, 64);
        buffer.UseHindsight(goals, sampledGoals: 4);
        Fill(buffer, goals, episodes: 7, length: 20); // 140 rows through a ring of 50
        foreach (var (x, goal, _, _) in Draw(buffer, new Rng(5), 100))
            if (goal < 1000)
            {
                Assert.That((int)(goal / 100), Is.EqualTo((int)(x / 100)));
                Assert.That(goal, Is.GreaterThanOrEqualTo(x));
            }

        // One episode longer than the ring: goals still come from later steps only.
        using var small = new ReplayBuffer(10, 2, 1, 64);
        small.UseHindsight(goals, sampledGoals: 4);
        Fill(small, goals, episodes: 1, length: 25);
        foreach (var (x, goal, _, _) in Draw(small, new Rng(6), 20))
            if (goal < 1000) Assert.That(goal, Is.InRange(x, 25f));
    }

    [Test]
    public void CheckpointedRecordsDrawTheSameBatchesAfterLoading()
    {
        var goals = new LineGoals();
        using var saved = new ReplayBuffer(200, 2, 1, 32);
        saved.UseHindsight(goals, 4);
        Fill(saved, goals, episodes: 6, length: 20, partialSteps: 5); // the last episode cut short, as at a run's last step
        using var loaded = new ReplayBuffer(400, 2, 1, 32);
        loaded.UseHindsight(new LineGoals(), 4);
        var state = saved.StateTensors();
        loaded.LoadState(state);
        foreach (var t in state.Values) t.Dispose();
        foreach (var (x, goal, _, _) in Draw(loaded, new Rng(9), 50))
            if (goal < 1000) Assert.That((int)(goal / 100), Is.EqualTo((int)(x / 100)));
        // A new episode after loading: the cut one's rows must not draw goals from it.
        for (int t = 1; t <= 3; t++)
        {
            goals.X = 900 + t;
            loaded.Add([goals.X - 1, 1009], [0.5f], 7, [goals.X, 1009], terminated: false);
            loaded.Hindsight!.Stored(loaded.LastRow, episodeEnded: false);
        }
        int fromCut = 0;
        foreach (var (x, goal, _, _) in Draw(loaded, new Rng(10), 100))
            if (goal < 1000 && x is > 600 and < 700)
            {
                fromCut++;
                Assert.That(goal, Is.InRange(x, 605f), "the cut episode ends at its 5th step");
            }
        Assert.That(fromCut, Is.GreaterThan(0));

        using var plain = new ReplayBuffer(200, 2, 1, 32);
        plain.Add([0, 0], [0], 0, [0, 0], false);
        using var withHer = new ReplayBuffer(200, 2, 1, 32);
        withHer.UseHindsight(new LineGoals(), 4);
        var plainState = plain.StateTensors();
        var e = Assert.Throws<InvalidDataException>(() => withHer.LoadState(plainState))!;
        foreach (var t in plainState.Values) t.Dispose();
        Assert.That(e.Message, Does.Contain("no HER records"));
    }

    [Test]
    public void SamplingWithRelabellingStillAllocatesNothing()
    {
        var goals = new LineGoals();
        using var buffer = new ReplayBuffer(1000, 2, 1, 64);
        buffer.UseHindsight(goals, 4);
        Fill(buffer, goals, episodes: 3, length: 20);
        var rng = new Rng(1);
        buffer.Sample(rng);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) buffer.Sample(rng);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(256));
    }
}
