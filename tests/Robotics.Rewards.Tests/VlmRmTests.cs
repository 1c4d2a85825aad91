using NUnit.Framework;
using Robotics.Agents.Buffers;
using Robotics.Core.Images;
using Robotics.Envs;
using Robotics.Rewards.Sources;
using Robotics.Rewards.Vision;
using Robotics.Rewards.Vision.Clip;
using Robotics.Rewards.Vision.VlmRm;
using Robotics.Torch;
using static Robotics.Torch.torch;
using F = Robotics.Torch.torch.nn.functional;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The VLM-RM reward: the projection formula against values worked out by hand, its α = 0 and α = 1 limits, batching,
/// the text cache, replay-buffer relabelling and the env wrapper, on the tiny random CLIP the fixtures write.
/// </summary>
public class VlmRmTests
{
    private string _dir = null!;
    private ClipEmbedder _clip = null!;

    private static readonly VlmRmConfig Prompts = new()
    {
        GoalPrompts = ["a robot arm touching a red puck", "the gripper is on the puck"],
        BaselinePrompts = ["a robot arm"],
        BatchSize = 3,
    };

    [OneTimeSetUp]
    public void Load()
    {
        _dir = ClipFixtures.WriteRandomCheckpoint(ClipFixtures.TinyConfig(), seed: 11);
        _clip = ClipEmbedder.Load(_dir);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _clip.Dispose();
        Directory.Delete(_dir, true);
    }

    private static RgbImage Frame(int seed)
    {
        var p = new byte[48 * 40 * 3];
        new Random(seed).NextBytes(p);
        return RgbImage.Create(48, 40, p);
    }

    private static float Reward(GoalProjection projection, params float[] x)
    {
        using var t = tensor(x, [1, x.Length]);
        using var r = projection.Reward(t);
        return r.item<float>();
    }

    [Test]
    public void FormulaMatchesHandComputedValues()
    {
        // g = e₁, b = e₂: d = (1, −1, 0), ddᵀ/‖d‖² = [[½, −½, 0], [−½, ½, 0], [0, 0, 0]].
        using var g = tensor(new float[] { 1, 0, 0 }, [1, 3]);
        using var b = tensor(new float[] { 0, 1, 0 }, [1, 3]);
        using var a0 = new GoalProjection(g, b, 0);
        using var a1 = new GoalProjection(g, b, 1);
        using var half = new GoalProjection(g, b, 0.5);
        // x = (0.6, 0.8, 0): x − g = (−0.4, 0.8, 0).
        Assert.That(Reward(a0, 0.6f, 0.8f, 0), Is.EqualTo(0.6).Within(1e-6));   // α = 0: 1 − ½‖x − g‖² = x·g
        Assert.That(Reward(a1, 0.6f, 0.8f, 0), Is.EqualTo(0.64).Within(1e-6));  // (x − g)P = (−0.6, 0.6, 0): 1 − ½·0.72
        Assert.That(Reward(half, 0.6f, 0.8f, 0), Is.EqualTo(0.63).Within(1e-6)); // P = [[¾, −¼, 0], [−¼, ¾, 0], [0, 0, ½]]: (−0.5, 0.7, 0), 1 − ½·0.74
        // x = e₃ is orthogonal to both: α = 1 sees only −g's share along d, (x − g)P = (−½, ½, 0), so 1 − ¼.
        Assert.That(Reward(a1, 0, 0, 1), Is.EqualTo(0.75).Within(1e-6));
        Assert.That(Reward(a1, 0, 0, -1), Is.EqualTo(0.75).Within(1e-6));
        Assert.That(Reward(a0, 0, 0, 1), Is.EqualTo(0).Within(1e-6));
        Assert.That(Reward(a0, 1, 0, 0), Is.EqualTo(1).Within(1e-6), "the goal itself scores 1");
    }

    [Test]
    public void AlphaOneKeepsOnlyTheGoalBaselineDirection()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var goals = F.normalize(randn(2, 16), dim: -1);
        var baselines = F.normalize(randn(3, 16), dim: -1);
        using var p = new GoalProjection(goals, baselines, 1);
        var x = F.normalize(randn(50, 16), dim: -1);
        var d = p.Goal - p.Baseline;
        // Closed form: only (x − g)·d survives, r = 1 − ½((x − g)·d)²/‖d‖².
        var along = (x - p.Goal).matmul(d);
        var expected = 1 - 0.5 * along.pow(2) / d.dot(d);
        Assert.That(p.Reward(x).allclose(expected, 1e-5, 1e-5), Is.True);
        // Adding anything orthogonal to d leaves the reward unchanged.
        var noise = randn(50, 16);
        noise = noise - noise.matmul(d).unsqueeze(1) * d / d.dot(d);
        Assert.That(p.Reward(x + noise).allclose(p.Reward(x), 1e-4, 1e-5), Is.True);
    }

    [Test]
    public void AlphaZeroIsTheCosineSimilarityToTheGoal()
    {
        using var source = new VlmRmRewardSource(_clip, Prompts with { Alpha = 0 });
        var frames = Enumerable.Range(0, 5).Select(Frame).ToArray();
        var rewards = source.Rewards(frames);
        using var scope = NewDisposeScope();
        var images = _clip.EmbedImages(frames);
        // The goal is the normalised mean of the goal prompts' unit embeddings.
        var goal = F.normalize(_clip.EmbedTexts(Prompts.GoalPrompts).mean(0), dim: 0);
        var cosine = F.cosine_similarity(images, goal.unsqueeze(0).expand(5, goal.size(0)), 1).ToArray<float>();
        Assert.That(rewards, Is.EqualTo(cosine).Within(1e-5));
        var labels = source.LabelFrames(frames);
        Assert.That(labels.Select(l => l.Components.Single(c => c.Name == VlmRmRewardSource.GoalComponent).Value), Is.EqualTo(cosine).Within(1e-5));
    }

    [Test]
    public void BatchesGiveWhatSingleFramesGive()
    {
        using var source = new VlmRmRewardSource(_clip, Prompts);
        var frames = Enumerable.Range(20, 7).Select(Frame).ToArray();
        var batched = source.Rewards(frames);
        Assert.That(source.ImageBatches, Is.EqualTo(3), "7 frames in batches of 3");
        var single = frames.Select(f => source.Rewards([f])[0]).ToArray();
        Assert.That(batched, Is.EqualTo(single).Within(1e-5));
        Assert.That(batched.Distinct().Count(), Is.EqualTo(7), "random frames get different rewards");
        Assert.That(batched, Has.All.InRange(-1f, 1f));
    }

    [Test]
    public void PromptsAreEmbeddedOnce()
    {
        int calls = 0;
        var cache = new TextEmbeddingCache(texts => { calls++; return _clip.EmbedTexts(texts); });
        using (var first = new VlmRmRewardSource(_clip, Prompts, cache))
            first.Rewards([Frame(1)]);
        Assert.That((calls, cache.Encoded, cache.Count), Is.EqualTo((2, 3, 3)), "goal prompts in one batch, baseline in another");
        using (var second = new VlmRmRewardSource(_clip, Prompts with { Alpha = 1 }, cache))
            second.Rewards([Frame(2)]);
        Assert.That(calls, Is.EqualTo(2), "same prompts: nothing new to encode");
        using var cached = cache.Get(["a robot arm", "a robot arm"]);
        using var fresh = _clip.EmbedTexts(["a robot arm"]);
        Assert.That(cached[1].allclose(fresh[0], 1e-6, 1e-7), Is.True);
        Assert.That(cache.Encoded, Is.EqualTo(3));
    }

    [Test]
    public void IdenticalGoalAndBaselineAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new VlmRmRewardSource(_clip, Prompts with { GoalPrompts = ["a robot arm"] }))!;
        Assert.That(e.Message, Does.Contain("same direction"));
        Assert.Throws<ArgumentException>(() => new VlmRmRewardSource(_clip, Prompts with { Alpha = 1.5 }));
    }

    [Test]
    public void RelabellerWritesRewardsIntoTheReplayBufferInBatches()
    {
        using var source = new VlmRmRewardSource(_clip, Prompts);
        using var buffer = new ReplayBuffer(capacity: 4, observationSize: 2, actionSize: 1, batchSize: 2);
        var relabeller = new ReplayRelabeller(source, batchSize: 3);
        var frames = Enumerable.Range(40, 6).Select(Frame).ToArray();
        var expected = source.Rewards(frames);
        long batchesBefore = source.ImageBatches;
        for (int i = 0; i < 6; i++)
        {
            int row = buffer.Position;
            buffer.Add([i, i], [0], -100, [i, i], false);
            relabeller.Add(buffer, row, frames[i]);
            if (i == 1) Assert.That(buffer.Rewards[1], Is.EqualTo(-100f), "not labelled before its batch is full");
        }
        // The ring of 4 wrapped: rows 0 and 1 now hold transitions 4 and 5, whose frames are the ones labelled.
        relabeller.Flush(buffer);
        Assert.That(buffer.Rewards.ToArray(), Is.EqualTo(new[] { expected[4], expected[5], expected[2], expected[3] }).Within(1e-5));
        Assert.That(source.ImageBatches - batchesBefore, Is.EqualTo(2), "one CLIP call per batch of 3");
        Assert.That(relabeller.Pending, Is.Zero);
    }

    [Test]
    public void WrapperRewardsTheRenderedFrame()
    {
        using var source = new VlmRmRewardSource(_clip, Prompts);
        using var env = new FrameRewardWrapper(FrankaSuite.Make("reach"), source);
        env.Reset(seed: 1);
        var step = env.Step(new float[env.ActionSpace.Dimension]);
        Assert.That(step.Info.ContainsKey(RewardSourceWrapper.TaskRewardKey), Is.True);
        Assert.That(step.Info["reward/vlm_rm"], Is.EqualTo(step.Reward));
        Assert.That(step.Info.ContainsKey("reward/" + VlmRmRewardSource.GoalComponent), Is.True);
        Assert.That(step.Reward, Is.EqualTo(source.Rewards([env.Render()])[0]).Within(1e-5), "the frame after the step");
        Assert.Throws<InvalidOperationException>(() => ((IRewardSource)source).LabelBatch([]));
    }
}
