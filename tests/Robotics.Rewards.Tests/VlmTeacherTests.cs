using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Preferences.Human;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;
using Robotics.Rewards.Sources;
using Robotics.Rewards.Vision.RlVlmF;

namespace Robotics.Rewards.Tests;

/// <summary>
/// RL-VLM-F online: the VLM teacher answers PEBBLE-style queries about segments cut from a recorded reach episode,
/// shown as the frame after each segment's last step (re-rendered by replaying the episode), through a real HTTP
/// server speaking OpenAI's vision format. The scripted VLM recognises the frames it is shown and answers from the
/// task's true reward, except for the pairs scripted to be unsure, malformed or failing, which must become skips.
/// </summary>
public class VlmTeacherTests
{
    private const string Goal = "to move the gripper fingertips to the small green ball";

    private static OpenAIVisionChatModel Model(ChatServer server) => new(new LlmSettings
    {
        BaseUrl = server.BaseUrl, ApiKey = "test-key", Model = "scripted-vlm",
        Timeout = TimeSpan.FromSeconds(20), MaxRetries = 0, RetryDelay = TimeSpan.FromMilliseconds(10),
    });

    private static string Hash(RgbImage image) => Convert.ToHexString(SHA256.HashData(image.Pixels));

    [Test]
    public void LastFramesAreComparedAndUnsureMalformedOrFailedAnswersBecomeSkips()
    {
        // A 60-step episode of random actions, recorded as PEBBLE records it, and filmed live after every step.
        using var recorder = new TrajectoryRecorder(FrankaSuite.Make("reach"), keep: 5);
        var rng = new Rng(3);
        var live = new List<RgbImage>();
        recorder.Reset(seed: 21);
        var action = new float[recorder.ActionSpace.Dimension];
        for (int t = 0; t < 60; t++)
        {
            for (int i = 0; i < action.Length; i++) action[i] = (float)rng.Uniform(-1, 1);
            recorder.Step(action);
            live.Add(recorder.Render());
        }
        var trajectory = recorder.Trajectories.Single();
        var segments = Enumerable.Range(0, 6).Select(k => trajectory.Cut(k * 10, 10)).ToArray();
        // What the scripted VLM knows: which segment a frame ends, and that segment's true reward at its last step.
        var truth = new TaskRewardSource(FrankaSuite.CreateTask("reach"));
        var value = segments.Select(s => GroundTruth.StepRewards(truth, s)[^1]).ToArray();
        var segmentOf = Enumerable.Range(0, 6).ToDictionary(k => Hash(live[k * 10 + 9]), k => k);
        Assert.That(segmentOf, Has.Count.EqualTo(6), "six different last frames");

        using var server = new ChatServer((request, _) =>
        {
            if (request.Images.Count == 2)
            {
                // Stage 1: name the segments; frames from anywhere else are a 400 (and would show up as failures).
                if (!segmentOf.TryGetValue(Hash(request.Images[0]), out var a) || !segmentOf.TryGetValue(Hash(request.Images[1]), out var b))
                    return new ChatServer.Reply(null, 400);
                if ((a, b) == (3, 4)) return new ChatServer.Reply(null, 500);
                return new ChatServer.Reply($"Image 1 ends segment {a}. Image 2 ends segment {b}.");
            }
            var m = Regex.Match(request.Text, @"Image 1 ends segment (\d)\. Image 2 ends segment (\d)\.");
            int first = int.Parse(m.Groups[1].Value), second = int.Parse(m.Groups[2].Value);
            return new ChatServer.Reply((first, second) switch
            {
                (4, 5) => "-1",
                (1, 2) => "Both images look about the same to me.",
                _ => value[first] > value[second] ? "0" : "1",
            });
        });
        using var replayEnv = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        int rendered = 0;
        var teacher = new VlmTeacher(new VlmPreferenceLabeller(Model(server), Goal, maxConcurrency: 2), segment =>
        {
            rendered++;
            return new ReplayClips(replayEnv, recorder.Trajectories).RenderLast(segment);
        });

        var pairs = new[] { (segments[0], segments[1]), (segments[3], segments[2]), (segments[4], segments[5]), (segments[1], segments[2]), (segments[3], segments[4]) };
        var labels = teacher.Label(pairs);

        Preference Truth(int a, int b) => value[a] > value[b] ? Preference.First : Preference.Second;
        Assert.That(labels, Is.EqualTo(new[] { Truth(0, 1), Truth(3, 2), Preference.Skip, Preference.Skip, Preference.Skip }));
        Assert.That(value[0], Is.Not.EqualTo(value[1]));
        Assert.That(teacher.Stats, Is.EqualTo(new PreferenceStats(Asked: 5, Preferred: 2, Unsure: 1, Malformed: 1, Failed: 1, Cached: 0)));
        Assert.That(rendered, Is.EqualTo(6), "each segment rendered once, though four of them are in two queries");
        // The replayed frames are the live ones, and only those (one per image part).
        var shown = server.Received.Where(r => r.Images.Count == 2).SelectMany(r => r.Images).Select(Hash).ToHashSet();
        Assert.That(shown, Is.EquivalentTo(segmentOf.Keys));
        Assert.That(server.Received.First(r => r.Images.Count == 2).Text, Does.Contain($"The goal is {Goal}."));

        // The labels go into PEBBLE's dataset as asked: skips are kept as records, never trained on.
        var dataset = new PreferenceDataset(10, 4, "reach");
        dataset.AddRange(pairs, labels);
        Assert.That((dataset.Count, dataset.CountOf(Preference.Skip), dataset.Trainable.Count()), Is.EqualTo((5, 3, 2)));
    }

    [Test]
    public void ASessionWhoseEveryQuestionFailedIsAnError()
    {
        using var server = new ChatServer((_, _) => new ChatServer.Reply(null, 503));
        var frame = RgbImage.Create(8, 8, new byte[8 * 8 * 3]);
        var segment = new Segment(new float[RewardFeatures.InputSize(4)], 1, 4, new SegmentOrigin("agent", 0, 0));
        var teacher = new VlmTeacher(new VlmPreferenceLabeller(Model(server), Goal), _ => frame);
        var e = Assert.Throws<LlmException>(() => teacher.Label([(segment, segment), (segment, segment)]))!;
        Assert.That(e.Message, Does.Contain("all 2 questions").And.Contain("503"));
        Assert.That(teacher.Label([]), Is.Empty);
    }
}
