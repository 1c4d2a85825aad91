using NUnit.Framework;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Logging;
using Robotics.Agents.Sac;
using Robotics.Agents.Training;
using Robotics.Core.Images;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Vision;
using Robotics.Rewards.Vision.Clip;
using Robotics.Rewards.Vision.VlmRm;

namespace Robotics.Rewards.Tests;

/// <summary>
/// VLM-RM with SAC, batched: a short run of the real SAC loop whose training env captures frames and whose replay
/// buffer CLIP (the tiny random model) labels in batches through TrainingContext.AfterStep. What SAC stored must be
/// what labelling each frame alone gives, nothing it samples may still hold the placeholder, and the logged returns
/// must be the CLIP rewards'.
/// </summary>
public class VlmRmBatchedSacTests
{
    private string _dir = null!;
    private string _model = null!;
    private ClipEmbedder _clip = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _model = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(), seed: 11);
        _clip = ClipEmbedder.Load(_model);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _clip.Dispose();
        Directory.Delete(_model, true);
    }

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("robo-vlmrm-sac-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, true);

    [Test]
    public void SacStoresTheRewardsOfEachFrameLabelledAloneAndNeverSamplesAPlaceholder()
    {
        const int Batch = 16, Steps = 312, Episode = 100, Seed = 5; // 312: the run ends with 8 frames still queued
        var options = FrankaEnvOptions.Default with { MaxEpisodeSteps = Episode };
        using var source = new VlmRmRewardSource(_clip, new VlmRmConfig
        {
            GoalPrompts = ["a robot arm touching a red puck"], BaselinePrompts = ["a robot arm"], BatchSize = Batch,
        });
        var config = new SacConfig { TotalSteps = Steps, LearningStarts = 60, TrainFrequency = Batch, BatchSize = 32, Hidden = 32, BufferSize = 1000 };
        float[]? stored = null;
        var actions = new List<float[]>();
        int checkedUpdates = 0;
        SacTrain(config, options, Seed, source, Batch, onStep: (step, buffer) =>
        {
            actions.Add(buffer.Action(buffer.Count - 1).ToArray());
            if (step == 5) Assert.That(float.IsNaN(buffer.Rewards[4]), Is.True, "a row waits with the placeholder until its batch is labelled");
            // SAC samples from every stored row right after this hook whenever updates are due.
            if (step - 1 >= config.LearningStarts && step % config.TrainFrequency == 0)
            {
                Assert.That(buffer.Rewards.ToArray(), Has.None.NaN, $"an unlabelled row at update step {step}");
                checkedUpdates++;
            }
        }, onCheckpoint: buffer => stored = buffer.Rewards.ToArray());

        Assert.That(checkedUpdates, Is.EqualTo(16), "bursts after steps 64, 80, …, 304");
        Assert.That(stored, Has.Length.EqualTo(Steps));
        Assert.That(stored, Has.None.NaN, "the final checkpoint's buffer is labelled (the last 8 frames too)");
        // One CLIP call per flush: every 16th step (19 of them), the episode ends at 100, 200, 300, and the final checkpoint.
        Assert.That(source.ImageBatches, Is.EqualTo(19 + 3 + 1));

        // The same frames, replayed from the stored actions and labelled one at a time.
        var single = new float[Steps];
        using (var replay = FrankaSuite.Make("reach", options))
            for (int row = 0; row < Steps; row++)
            {
                if (row % Episode == 0) replay.Reset(Seed + row / Episode);
                replay.Step(actions[row]);
                single[row] = source.Rewards([replay.Render()])[0];
            }
        Assert.That(stored, Is.EqualTo(single).Within(1e-5));
        Assert.That(single.Distinct().Count(), Is.GreaterThan(Steps / 2), "the frames differ, so a misplaced label would show");

        // Logged returns are the CLIP rewards summed over each episode; the components are per-step means.
        var logged = Metrics(Path.Combine(_dir, "run"));
        for (int k = 0; k < 3; k++)
        {
            long end = (k + 1) * Episode;
            var rows = single.Skip(k * Episode).Take(Episode).ToArray();
            Assert.That(logged[("charts/episodic_return", end)], Is.EqualTo(rows.Sum(r => (double)r)).Within(1e-3), $"episode {k}");
            Assert.That(logged[("reward/vlm_rm", end)], Is.EqualTo(rows.Average(r => (double)r)).Within(1e-5), $"episode {k}");
            Assert.That(logged.ContainsKey(("reward/" + VlmRmRewardSource.GoalComponent, end)), Is.True);
        }
        using var reader = CheckpointReader.Open(Path.Combine(_dir, "run", "checkpoints", $"step-{Steps:D9}.ckpt"), "sac");
        Assert.That(reader.Group("replay")["rewards"].ToArray<float>().Take(Steps), Is.EqualTo(single).Within(1e-5), "what a resumed run would load");
    }

    /// <summary>Sac.Train with the batched frame reward hooked in; the test's own hooks run after the reward's.</summary>
    private void SacTrain(SacConfig config, FrankaEnvOptions options, int seed, VlmRmRewardSource source, int batch,
                          Action<long, Agents.Buffers.ReplayBuffer> onStep, Action<Agents.Buffers.ReplayBuffer> onCheckpoint)
    {
        var dir = Path.Combine(_dir, "run");
        using var logger = new MetricsLogger(dir, tensorBoard: false);
        var batched = new BatchedFrameRewards(source, batch, config.TrainFrequency, log: logger.Log);
        Sac.Train(config, new TrainingContext
        {
            MakeEnv = () => batched.Wrap(FrankaSuite.Make("reach", options)),
            RunDirectory = dir, Logger = logger, Seed = seed, EvalEvery = 0, EvalEpisodes = 1, CheckpointEvery = 0,
            CheckpointReplayBuffer = true, FinalVideo = false, LogEvery = 100,
            AfterStep = (step, buffer) =>
            {
                batched.AfterStep(step, buffer);
                onStep(step, buffer);
            },
            BeforeCheckpoint = buffer =>
            {
                batched.BeforeCheckpoint(buffer);
                onCheckpoint(buffer);
            },
            PlaceholderRewards = true,
        });
    }

    private static Dictionary<(string, long), double> Metrics(string dir) =>
        File.ReadLines(Path.Combine(dir, MetricsLogger.CsvFileName)).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (f[2], long.Parse(f[0])), f => double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
}
