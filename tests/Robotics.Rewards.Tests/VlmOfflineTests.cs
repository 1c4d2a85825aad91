using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Robotics.Core.Data;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Vision.Offline;
using Robotics.Rewards.Vision.RlVlmF;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The offline path: frames re-rendered by replaying a recorded dataset, a Bradley–Terry reward fit to noisy labels, and
/// the whole relabelling against a VLM server whose answers are scripted from the true reward of the frames it is shown.
/// </summary>
public class VlmOfflineTests
{
    private static readonly FrankaEnvOptions Short = new() { MaxEpisodeSteps = 40 };
    private static TransitionDataset _data = null!;

    /// <summary>4 noisy push episodes of 40 steps, recorded as `robo collect` records them (episode k with seed 5 + k).</summary>
    [OneTimeSetUp]
    public void Collect()
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask("push"), Short);
        var rollout = new ExpertRollout(env, 0.3, new Rng(5).Spawn());
        _data = TransitionDataset.Allocate(4 * 40, FrankaEnv.ObservationSize, env.ActionSpace.Dimension);
        for (int k = 0; k < 4; k++) rollout.Run(5 + k, _data, k * 40);
    }

    [Test]
    public void ReplayReproducesTheRecordingAndItsFrames()
    {
        Assert.That(EpisodeReplay.Episodes(_data), Is.EqualTo(new[] { (0, 40), (40, 40), (80, 40), (120, 40) }));
        var replay = new EpisodeReplay("push", firstSeed: 5, Short);
        var frames = replay.RenderAfter(_data, [3, 45, 46]);
        Assert.That(frames.Keys, Is.EquivalentTo(new[] { 3, 45, 46 }));
        Assert.That(frames[45].Pixels, Is.Not.EqualTo(frames[3].Pixels));
        // The frame after row 45 is what the env shows after episode 1's sixth action.
        using var env = new FrankaEnv(FrankaSuite.CreateTask("push"), Short);
        env.Reset(6);
        for (int row = 40; row <= 45; row++) env.Step(_data.Action(row));
        Assert.That(frames[45].Pixels, Is.EqualTo(env.Render().Pixels));
    }

    [Test]
    public void ADatasetFromOtherSeedsIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => new EpisodeReplay("push", firstSeed: 0, Short).RenderAfter(_data, [2]))!;
        Assert.That(e.Message, Does.Contain("seed 0").And.Contain("robo collect --seed"));
    }

    [Test]
    public void BradleyTerryRecoversTheRewardOrderFromNoisyLabels()
    {
        var rng = new Rng(1);
        var pairs = OfflineVlmRelabelling.SamplePairs(_data.Count, 400, rng);
        // A labeller right 90% of the time.
        var labels = pairs.Select(p => new PreferenceLabel(p.First, p.Second,
            (_data.Rewards[p.Second] > _data.Rewards[p.First]) ^ (rng.NextDouble() < 0.1) ? 1 : 0)).ToArray();
        var (model, accuracy) = BradleyTerryReward.Fit(_data, labels[..300], seed: 0, new BradleyTerryConfig { Epochs = 60 });
        using (model)
        {
            Assert.That(accuracy, Is.GreaterThan(0.85), "fits its (90% right) training labels");
            var learned = model.Rewards(_data);
            var heldOut = labels[300..].Count(l => (learned[l.Second] > learned[l.First]) == (_data.Rewards[l.Second] > _data.Rewards[l.First])) / 100.0;
            Assert.That(heldOut, Is.GreaterThan(0.8), "orders unseen pairs as the true reward does");
            Assert.That(OfflineVlmRelabelling.Pearson(learned, _data.Rewards), Is.GreaterThan(0.7));
        }
    }

    [Test]
    public async Task RelabellingAgainstAScriptedVlmServer()
    {
        // The server knows each frame's true reward by its pixels, and answers like a VLM that sees which is closer,
        // unsure when the two are within 0.05, and wrong one time in ten.
        var replay = new EpisodeReplay("push", firstSeed: 5, Short);
        var all = replay.RenderAfter(_data, Enumerable.Range(0, _data.Count));
        var truth = all.ToDictionary(kv => Hash(kv.Value), kv => _data.Rewards[kv.Key]);
        var noise = new Random(3);
        using var server = new ChatServer((request, _) =>
        {
            if (request.Images.Count == 2)
                return new($"Image 1 is {truth[Hash(request.Images[0])]:R} from the goal; Image 2 is {truth[Hash(request.Images[1])]:R}.");
            var m = Regex.Match(request.Text, @"Image 1 is (\S+) from the goal; Image 2 is (\S+)\.");
            double a = double.Parse(m.Groups[1].Value), b = double.Parse(m.Groups[2].Value);
            if (Math.Abs(a - b) < 0.05) return new("-1");
            bool secondBetter = b > a;
            lock (noise) if (noise.NextDouble() < 0.1) secondBetter = !secondBetter;
            return new(secondBetter ? "1" : "0");
        });
        var model = new OpenAIVisionChatModel(new LlmSettings { BaseUrl = server.BaseUrl, ApiKey = "k", Model = "scripted-vlm", RetryDelay = TimeSpan.FromMilliseconds(10) });
        var labeller = new VlmPreferenceLabeller(model, "to push the red puck onto the green target", maxConcurrency: 4);
        var result = await OfflineVlmRelabelling.RunAsync(_data, "push", labeller,
            new OfflineVlmConfig { Pairs = 150, FirstSeed = 5, EnvOptions = Short, Reward = new BradleyTerryConfig { Epochs = 80 } });

        Assert.That(result.Stats.Asked, Is.EqualTo(150));
        Assert.That(result.Stats.Unsure, Is.GreaterThan(0), "close pairs are answered −1 and dropped");
        Assert.That(result.Labels, Has.Count.EqualTo(result.Stats.Preferred));
        Assert.That(server.Received, Has.Count.EqualTo(300), "two stages per pair");
        Assert.That(result.CorrelationWithOriginal, Is.GreaterThan(0.6));
        Assert.That(result.Relabelled.Count, Is.EqualTo(_data.Count));
        Assert.That(result.Relabelled.Observations, Is.SameAs(_data.Observations), "only the rewards change");
        Assert.That(result.Relabelled.Rewards, Is.Not.EqualTo(_data.Rewards));
    }

    private static string Hash(RgbImage image) => Convert.ToHexString(SHA256.HashData(image.Pixels));
}
