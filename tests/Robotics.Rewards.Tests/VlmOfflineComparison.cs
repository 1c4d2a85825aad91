using System.Numerics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Robotics.Agents.Iql;
using Robotics.Agents.Logging;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using Robotics.Rewards.Vision.Offline;
using Robotics.Rewards.Vision.RlVlmF;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The figure for the offline path, run by hand (about 15 minutes on two cores): IQL on push data relabelled from VLM
/// preferences against behaviour cloning on the same data. The data are iql-push-miscalibrated.yaml's (100 noisy
/// expert episodes, half aiming 15 cm off the goal); the VLM is scripted from the true dense reward of each frame it is
/// shown (unsure within 0.1, wrong one time in ten), behind the real labeller, replay renderer and reward learner.
/// Measured with this pipeline (through `TrainingLauncher`, 30k gradient steps, 20 evaluation episodes): IQL on the
/// VLM-relabelled data 0.90 (seed 0) and 0.75 (seed 1) success, BC 0.35 and 0.40, IQL on the true rewards 0.95 (seed 0).
/// The VLM kept 862 of 1000 pairs (138 unsure); the learned reward correlates 0.61 with the true one.
/// </summary>
[Explicit("about 15 minutes per seed: trains IQL and BC for 30k steps each")]
public class VlmOfflineComparison
{
    /// <summary>A VLM that reads each frame's true reward: what the labelling pipeline would get from a perfect-sighted model, plus noise.</summary>
    private sealed class ScriptedVlm(IReadOnlyDictionary<string, float> truth, int seed) : IVisionChatModel
    {
        private readonly Random _noise = new(seed);
        public string Describe => "scripted VLM (true reward, unsure within 0.1, 10% wrong)";
        public string Model => "scripted";

        public Task<string> CompleteAsync(IReadOnlyList<VisionTurn> conversation, CancellationToken cancellation = default)
        {
            var parts = conversation[0].Parts;
            var images = parts.OfType<VisionPart.Image>().Select(i => i.Value).ToArray();
            if (images.Length == 2) return Task.FromResult($"Image 1 scores {truth[Hash(images[0])]:R}. Image 2 scores {truth[Hash(images[1])]:R}.");
            var m = Regex.Match(((VisionPart.Text)parts[0]).Value, @"Image 1 scores (\S+)\. Image 2 scores (\S+)\.");
            double a = double.Parse(m.Groups[1].Value), b = double.Parse(m.Groups[2].Value);
            if (Math.Abs(a - b) < 0.1) return Task.FromResult("-1");
            bool flip;
            lock (_noise) flip = _noise.NextDouble() < 0.1;
            return Task.FromResult((b > a) != flip ? "1" : "0");
        }
    }

    private static string Hash(RgbImage image) => Convert.ToHexString(SHA256.HashData(image.Pixels));

    [TestCase(0), TestCase(1)]
    public async Task IqlOnVlmRelabelledDataBeatsBehaviourCloning(int seed)
    {
        const int episodes = 100, pairs = 1000, steps = 30_000;
        using var env = new FrankaEnv(FrankaSuite.CreateTask("push"));
        var rollout = new ExpertRollout(env, 0.3, new Rng(0).Spawn(), new Vector3(0.15f, 0, 0), 0.5);
        var data = TransitionDataset.Allocate(episodes * rollout.MaxEpisodeSteps, FrankaEnv.ObservationSize, env.ActionSpace.Dimension);
        for (int i = 0; i < episodes; i++) rollout.Run(i, data, i * rollout.MaxEpisodeSteps);

        var rows = OfflineVlmRelabelling.SamplePairs(data.Count, pairs, new Rng(seed)).SelectMany(p => new[] { p.First, p.Second });
        var truth = new Dictionary<string, float>();
        foreach (var (row, frame) in new EpisodeReplay("push").RenderAfter(data, rows)) truth[Hash(frame)] = data.Rewards[row];
        var labeller = new VlmPreferenceLabeller(new ScriptedVlm(truth, 1), "to push the red puck onto the green target");
        var result = await OfflineVlmRelabelling.RunAsync(data, "push", labeller, new OfflineVlmConfig { Pairs = pairs, Seed = seed }, TestContext.Progress.WriteLine);

        double Train(string algorithm, TransitionDataset dataset)
        {
            var dir = Directory.CreateTempSubdirectory($"robo-vlm-{algorithm}-").FullName;
            using var logger = new MetricsLogger(dir, tensorBoard: false);
            var ctx = new TrainingContext
            {
                MakeEnv = () => FrankaSuite.Make("push"), RunDirectory = dir, Logger = logger, Seed = seed,
                EvalEvery = 0, EvalEpisodes = 20, CheckpointEvery = 0, FinalVideo = false,
            };
            var summary = algorithm == "iql"
                ? Iql.Train(new IqlConfig { TotalSteps = steps }, dataset, ctx)
                : BehaviorCloning.Train(new BcConfig { TotalSteps = steps }, dataset, ctx);
            Directory.Delete(dir, true);
            return summary.FinalEvaluation!.SuccessRate;
        }
        double iql = Train("iql", result.Relabelled), bc = Train("bc", data);
        TestContext.Progress.WriteLine($"success over 20 episodes: IQL on VLM-relabelled data {iql:F2}, BC {bc:F2}");
        Assert.That(iql, Is.GreaterThan(bc));
    }
}
