using NUnit.Framework;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;

namespace Robotics.Envs.Tests;

/// <summary>FrankaEnv's frames and its refusal of bad actions; the expert rollout that `robo expert` and `robo collect` share.</summary>
public class FrankaEnvTests
{
    public static IEnumerable<string> TaskNames => FrankaSuite.Names;

    [TestCaseSource(nameof(TaskNames))]
    public void FirstFrameFromTheFrontCameraShowsTheScene(string task)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task), FrankaEnvOptions.Default with { RenderWidth = 160, RenderHeight = 120 });
        env.Reset(0);
        var image = env.Render("front");
        Assert.That((image.Width, image.Height), Is.EqualTo((160, 120)));
        Assert.That(image.IsUniform(), Is.False, $"{task}: blank frame");
        Assert.That(image.DistinctColours(), Is.GreaterThanOrEqualTo(50), $"{task}: too few colours for a rendered scene");
        for (int c = 0; c < 3; c++)
        {
            double mean = 0, square = 0;
            int n = image.Width * image.Height;
            for (int i = c; i < image.Pixels.Length; i += 3) { mean += image.Pixels[i]; square += image.Pixels[i] * (double)image.Pixels[i]; }
            mean /= n;
            double std = Math.Sqrt(Math.Max(0, square / n - mean * mean));
            Assert.That(std, Is.GreaterThan(8), $"{task}: channel {"RGB"[c]} has std {std:F1} (a flat frame)");
        }
    }

    [TestCase(new float[] { 0, 0, 0 }, "action has length 3, expected 4")]
    [TestCase(new float[] { 0, 0, 0, 0, 0 }, "action has length 5, expected 4")]
    [TestCase(new float[0], "action has length 0, expected 4")]
    [TestCase(new[] { 0, float.NaN, 0, 0 }, "action[1] is NaN; it must be a finite number")]
    [TestCase(new[] { 0, 0, float.PositiveInfinity, 0 }, "action[2] is Infinity; it must be a finite number")]
    [TestCase(new[] { 0, 0, 0, float.NegativeInfinity }, "action[3] is -Infinity; it must be a finite number")]
    public void BadActionIsRefusedBeforeAnythingMoves(float[] action, string message)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        env.Reset(1);
        var before = env.Physics.Data.GetState();
        Assert.That(() => env.Step(action), Throws.ArgumentException.With.Message.EqualTo(message));
        Assert.That(env.Physics.Data.GetState(), Is.EqualTo(before), "a refused action must not touch the simulation");
        Assert.That(env.Step([0.1f, 0, 0, 0]).Observation, Has.Length.EqualTo(FrankaEnv.ObservationSize), "the env stays usable");
    }

    [Test]
    public void JointControlWantsEightNumbers()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"), FrankaEnvOptions.Default with { Control = ControlMode.JointDelta });
        env.Reset(0);
        Assert.That(() => env.Step(new float[4]), Throws.ArgumentException.With.Message.EqualTo("action has length 4, expected 8"));
        Assert.That(() => new ExpertRollout(env), Throws.ArgumentException.With.Message.Contains("end-effector"));
    }

    [Test]
    public void NoisyRolloutRecordsWholeEpisodesReproducibly()
    {
        TransitionDataset Collect(int noiseSeed)
        {
            using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
            var rollout = new ExpertRollout(env, 0.5, new Rng(noiseSeed));
            var data = TransitionDataset.Allocate(rollout.MaxEpisodeSteps, FrankaEnv.ObservationSize, 4);
            var episode = rollout.Run(3, data);
            Assert.That(episode.Steps, Is.EqualTo(500), "episodes run to the time limit, past success");
            return data;
        }
        var a = Collect(7);
        var b = Collect(7);
        var c = Collect(8);
        Assert.That(b.Actions, Is.EqualTo(a.Actions));
        Assert.That(b.NextObservations, Is.EqualTo(a.NextObservations));
        Assert.That(c.Actions, Is.Not.EqualTo(a.Actions), "another noise seed, other actions");
        Assert.That(c.Observation(0).ToArray(), Is.EqualTo(a.Observation(0).ToArray()), "the scene follows the episode seed, not the noise");
        Assert.That(a.Actions, Has.All.InRange(-1f, 1f));
        Assert.That(a.Timeouts.Select((x, i) => (x, i)).Where(p => p.x).Select(p => p.i), Is.EqualTo(new[] { 499 }));
        for (int t = 0; t < 499; t++) Assert.That(a.Observation(t + 1).ToArray(), Is.EqualTo(a.NextObservation(t).ToArray()));
    }

    [Test]
    public void NoiseFreeRolloutMatchesTheExpertTestsSuccess()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("pick-place"));
        var rollout = new ExpertRollout(env);
        var episodes = Enumerable.Range(0, 3).Select(seed => rollout.Run(seed)).ToList();
        var summary = ExpertSummary.Of(episodes);
        Assert.That(summary.SuccessRate, Is.EqualTo(1.0));
        Assert.That(summary.MeanStepsToSuccess, Is.InRange(1.0, 500.0));
        Assert.That(episodes.Select(e => e.Seed), Is.EqualTo(new[] { 0, 1, 2 }));
    }
}
