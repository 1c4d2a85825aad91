using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Core.Seeding;

namespace Robotics.Agents.Tests;

[TestFixture]
public class ReplayBufferTests
{
    [Test]
    public void SampleReturnsStoredRowsTogether()
    {
        using var buffer = new ReplayBuffer(100, 3, 2, 16);
        for (int i = 0; i < 50; i++) buffer.Add([i, i, i], [i, -i], i * 10, [i + 1, i + 1, i + 1], terminated: i % 7 == 0);
        var batch = buffer.Sample(new Rng(1));
        Assert.That(batch.Observations.shape, Is.EqualTo(new long[] { 16, 3 }));
        Assert.That(batch.Rewards.shape, Is.EqualTo(new long[] { 16, 1 }));
        var obs = batch.Observations.ToArray<float>();
        var next = batch.NextObservations.ToArray<float>();
        var actions = batch.Actions.ToArray<float>();
        var rewards = batch.Rewards.ToArray<float>();
        var dones = batch.Dones.ToArray<float>();
        for (int b = 0; b < 16; b++)
        {
            float i = obs[b * 3];
            Assert.That(next[b * 3], Is.EqualTo(i + 1));
            Assert.That(actions[b * 2 + 1], Is.EqualTo(-i));
            Assert.That(rewards[b], Is.EqualTo(i * 10));
            Assert.That(dones[b], Is.EqualTo((int)i % 7 == 0 ? 1f : 0f));
        }
    }

    [Test]
    public void RingOverwritesOldestAndSamplingAllocatesNothing()
    {
        using var buffer = new ReplayBuffer(10, 1, 1, 8);
        for (int i = 0; i < 25; i++) buffer.Add([i], [0], 0, [i], false);
        Assert.That((buffer.Count, buffer.Position), Is.EqualTo((10, 5)));
        var rng = new Rng(3);
        buffer.Sample(rng);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) buffer.Sample(rng);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(256), "Sample must not allocate per call");
        Assert.That(buffer.Sample(rng).Observations.ToArray<float>(), Has.All.InRange(15f, 24f), "only the 10 newest rows remain");
    }

    [Test]
    public void StateRoundTripsIntoALargerBufferOldestFirst()
    {
        using var small = new ReplayBuffer(4, 1, 1, 2);
        for (int i = 0; i < 6; i++) small.Add([i], [i], i, [i], false); // holds 2,3,4,5; next write at 2
        var state = small.StateTensors();
        using var large = new ReplayBuffer(8, 1, 1, 2);
        large.LoadState(state);
        foreach (var t in state.Values) t.Dispose();
        Assert.That((large.Count, large.Position), Is.EqualTo((4, 4)));
        Assert.That(Enumerable.Range(0, 4).Select(r => large.Observation(r)[0]), Is.EqualTo(new[] { 2f, 3f, 4f, 5f }));
    }

    [Test]
    public void WrongShapesAndHugeCapacitiesAreRefused()
    {
        using var buffer = new ReplayBuffer(4, 3, 2, 2);
        Assert.Throws<ArgumentException>(() => buffer.Add([1, 2], [0, 0], 0, [1, 2, 3], false));
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(new Rng(0)), "empty buffer");
        var e = Assert.Throws<InvalidOperationException>(() => new ReplayBuffer(int.MaxValue, 1000, 10, 2))!;
        Assert.That(e.Message, Does.Contain("GB"));
    }
}
