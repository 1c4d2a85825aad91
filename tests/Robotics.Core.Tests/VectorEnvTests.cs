using NUnit.Framework;
using Robotics.Core.Envs;
using Robotics.Core.Vector;
using Robotics.Core.Wrappers;

namespace Robotics.Core.Tests;

public class VectorEnvTests
{
    private static IEnv Make(int _) => new TimeLimit(new PointMassEnv(), 7);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void MatchesSequentialEnvsSeededWithSeedPlusIndex(int workers)
    {
        using var vec = VectorEnv.Create(Make, 4, workers);
        var singles = Enumerable.Range(0, 4).Select(Make).ToArray();
        vec.Reset(seed: 10);
        for (int i = 0; i < 4; i++) Assert.That(vec.Observation(i).ToArray(), Is.EqualTo(singles[i].Reset(10 + i).Observation));

        var actions = new float[8];
        for (int t = 0; t < 20; t++)
        {
            for (int k = 0; k < 8; k++) actions[k] = 0.01f * ((t + k) % 5 - 2);
            vec.Step(actions);
            for (int i = 0; i < 4; i++)
            {
                var r = singles[i].Step(actions.AsSpan(2 * i, 2));
                Assert.That(vec.Rewards[i], Is.EqualTo(r.Reward));
                Assert.That(vec.Truncated[i], Is.EqualTo(r.Truncated));
                if (r.Done)
                {
                    // Same-step autoreset: the final observation rides in info, the row holds the new episode.
                    Assert.That(vec.Infos[i].FinalObservation, Is.EqualTo(r.Observation));
                    Assert.That(vec.Observation(i).ToArray(), Is.EqualTo(singles[i].Reset().Observation));
                }
                else Assert.That(vec.Observation(i).ToArray(), Is.EqualTo(r.Observation));
            }
        }
        Assert.That(vec.AutoresetMode, Is.EqualTo(AutoresetMode.SameStep));
    }

    [Test]
    public void BadInputGivesClearErrors()
    {
        using var vec = VectorEnv.Create(Make, 2, 2);
        vec.Reset(0);
        var e = Assert.Throws<ArgumentException>(() => vec.Step(new float[3]));
        Assert.That(e!.Message, Does.Contain("expected 2 envs"));
        // A failure inside a worker surfaces on the caller's thread, and the pool keeps working afterwards.
        var nan = new float[] { 0, 0, float.NaN, 0 };
        var w = Assert.Throws<InvalidOperationException>(() => vec.Step(nan));
        Assert.That(w!.Message, Does.Contain("finite"));
        vec.Step(new float[4]);
    }

    [Test]
    public void MismatchedSpacesAreRejected()
    {
        var envs = new IEnv[] { new PointMassEnv(), new FrameStack(new PointMassEnv(), 2) };
        Assert.Throws<ArgumentException>(() => new VectorEnv(envs, 1));
    }
}
