using System.Diagnostics;
using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Vision.RlVlmF;

namespace Robotics.Rewards.Tests;

/// <summary>
/// The RL-VLM-F labeller against a real HTTP server on 127.0.0.1 that speaks OpenAI's vision chat format, through
/// OpenAI's .NET client: the two stages, unsure and malformed answers, retries, rate limiting and the answer cache.
/// </summary>
public class VlmLabellerTests
{
    private const string Goal = "to push the red puck onto the green target";
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("robo-rlvlmf-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>A frame whose pixels all carry its index, so the server can tell which frame it was shown.</summary>
    private static RgbImage Frame(int index)
    {
        var p = new byte[16 * 12 * 3];
        for (int i = 0; i < p.Length; i += 3) (p[i], p[i + 1], p[i + 2]) = ((byte)index, (byte)(i % 251), 7);
        return RgbImage.Create(16, 12, p);
    }

    private static OpenAIVisionChatModel Model(ChatServer server, int retries = 2) => new(new LlmSettings
    {
        BaseUrl = server.BaseUrl, ApiKey = "test-key", Model = "scripted-vlm",
        Timeout = TimeSpan.FromSeconds(20), MaxRetries = retries, RetryDelay = TimeSpan.FromMilliseconds(10),
    });

    /// <summary>Stage 1 (with images) gets an analysis naming the frames; stage 2 gets <paramref name="label"/>.</summary>
    private static Func<ChatServer.Request, int, ChatServer.Reply> TwoStage(Func<int, int, string> label) => (request, _) =>
    {
        if (request.Images.Count == 2) return new($"Image 1 shows frame {request.Images[0].Pixels[0]}. Image 2 shows frame {request.Images[1].Pixels[0]}.");
        var m = System.Text.RegularExpressions.Regex.Match(request.Text, @"Image 1 shows frame (\d+)\. Image 2 shows frame (\d+)\.");
        return new(label(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
    };

    [Test]
    public async Task AnalysisWithBothImagesThenALabelFromTheAnalysisAlone()
    {
        using var server = new ChatServer(TwoStage((a, b) => "1"));
        var labeller = new VlmPreferenceLabeller(Model(server), Goal);
        var answer = await labeller.CompareAsync(Frame(3), Frame(9));

        Assert.That((answer.Outcome, answer.Label), Is.EqualTo((PreferenceOutcome.Preferred, (int?)1)));
        Assert.That(answer.Analysis, Is.EqualTo("Image 1 shows frame 3. Image 2 shows frame 9."));
        var requests = server.Received;
        Assert.That(requests, Has.Count.EqualTo(2));
        Assert.That(requests[0].Path, Is.EqualTo("/v1/chat/completions"));
        Assert.That(requests[0].Body.GetProperty("model").GetString(), Is.EqualTo("scripted-vlm"));
        // Stage 1: text, image 1, text, image 2, the questions; images arrive as PNG data URLs with every pixel intact.
        Assert.That(requests[0].ImageUrls, Has.All.StartWith("data:image/png;base64,"));
        Assert.That(requests[0].Images[0].Pixels, Is.EqualTo(Frame(3).Pixels));
        Assert.That(requests[0].Images[1].Pixels, Is.EqualTo(Frame(9).Pixels));
        Assert.That(requests[0].Texts[0], Does.Contain("Image 1:"));
        Assert.That(requests[0].Texts[1], Does.Contain("Image 2:"));
        Assert.That(requests[0].Text, Does.Contain($"The goal is {Goal}."));
        var parts = requests[0].Body.GetProperty("messages")[0].GetProperty("content").EnumerateArray().Select(p => p.GetProperty("type").GetString());
        Assert.That(parts, Is.EqualTo(new[] { "text", "image_url", "text", "image_url", "text" }));
        // Stage 2: no images, the analysis and the reply format.
        Assert.That(requests[1].Images, Is.Empty);
        Assert.That(requests[1].Text, Does.Contain("Image 1 shows frame 3. Image 2 shows frame 9.").And.Contain("Reply -1 if the text is unsure"));
    }

    [TestCase("1", 1)]
    [TestCase("0", 0)]
    [TestCase("-1", -1)]
    [TestCase("**0**", 0)]
    [TestCase("Answer: 1.", 1)]
    [TestCase("The first image is closer to the goal.\n\n0", 0)]
    [TestCase("  -1 \n", -1)]
    [TestCase("Image 1", null)]
    [TestCase("2", null)]
    [TestCase("10", null)]
    [TestCase("0 or 1", null)]
    [TestCase("", null)]
    public void LabelsAreReadFromTheLastLine(string reply, int? expected) =>
        Assert.That(VlmPreferenceLabeller.ParseLabel(reply), Is.EqualTo(expected));

    [Test]
    public async Task UnsureAndMalformedAnswersAreDropped()
    {
        // Pair (i, i+1): the script answers 0, 1, −1 and a sentence without a label, in turn.
        string[] answers = ["0", "**1**", "-1", "I think Image 2 is a bit better, maybe."];
        using var server = new ChatServer(TwoStage((a, b) => answers[a / 2]));
        var labeller = new VlmPreferenceLabeller(Model(server), Goal, maxConcurrency: 2);
        var (labels, stats, all) = await labeller.LabelAsync([(0, 1), (2, 3), (4, 5), (6, 7)], Frame);

        Assert.That(labels, Is.EqualTo(new[] { new PreferenceLabel(0, 1, 0), new PreferenceLabel(2, 3, 1) }));
        Assert.That(stats, Is.EqualTo(new PreferenceStats(Asked: 4, Preferred: 2, Unsure: 1, Malformed: 1, Failed: 0, Cached: 0)));
        Assert.That(all.Select(a => a.Outcome), Is.EqualTo(new[] { PreferenceOutcome.Preferred, PreferenceOutcome.Preferred, PreferenceOutcome.Unsure, PreferenceOutcome.Malformed }));
    }

    [Test]
    public async Task ServerErrorsAndRateLimitsAreRetried()
    {
        // Request 0: 500; 1: 429 with Retry-After 0; then the two stages succeed.
        var twoStage = TwoStage((a, b) => "0");
        using var server = new ChatServer((request, n) => n switch
        {
            0 => new ChatServer.Reply(null, 500),
            1 => new ChatServer.Reply(null, 429, RetryAfter: "0"),
            _ => twoStage(request, n),
        });
        var answer = await new VlmPreferenceLabeller(Model(server, retries: 3), Goal).CompareAsync(Frame(1), Frame(2));
        Assert.That(answer.Label, Is.EqualTo(0));
        Assert.That(server.Received, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task AServerThatNeverAnswersIsAnErrorNotAnEmptyLabelSet()
    {
        using var server = new ChatServer((_, _) => new ChatServer.Reply(null, 503));
        var labeller = new VlmPreferenceLabeller(Model(server, retries: 1), Goal);
        var answer = await labeller.CompareAsync(Frame(1), Frame(2));
        Assert.That(answer.Outcome, Is.EqualTo(PreferenceOutcome.Failed));
        Assert.That(answer.Error, Does.Contain("503"));
        var e = (await Assert.ThrowsAsync<LlmException>(() => labeller.LabelAsync([(1, 2), (3, 4)], Frame)))!;
        Assert.That(e.Message, Does.Contain("all 2 questions"));
    }

    [Test]
    public async Task AnswersAreCachedOnDiskAndReusedAcrossRuns()
    {
        var path = Path.Combine(_dir, "answers.jsonl");
        using var server = new ChatServer(TwoStage((a, b) => a > b ? "0" : "1"));
        var pairs = new[] { (5, 2), (1, 4), (7, 3) };
        using (var cache = new VlmAnswerCache(path))
        {
            var (labels, stats, _) = await new VlmPreferenceLabeller(Model(server), Goal, cache).LabelAsync(pairs, Frame);
            Assert.That(labels.Select(l => l.Label), Is.EqualTo(new[] { 0, 1, 0 }));
            Assert.That(stats.Cached, Is.Zero);
        }
        Assert.That(server.Received, Has.Count.EqualTo(6));
        File.AppendAllText(path, "{\"key\": \"torn"); // an interrupted write

        using (var reopened = new VlmAnswerCache(path))
        {
            Assert.That(reopened.Count, Is.EqualTo(3));
            var labeller = new VlmPreferenceLabeller(Model(server), Goal, reopened);
            var (labels, stats, _) = await labeller.LabelAsync(pairs, Frame);
            Assert.That(labels.Select(l => l.Label), Is.EqualTo(new[] { 0, 1, 0 }));
            Assert.That(stats.Cached, Is.EqualTo(3));
            Assert.That(server.Received, Has.Count.EqualTo(6), "nothing asked twice");
            // Swapped order or another goal is another question.
            await labeller.CompareAsync(Frame(2), Frame(5));
            await new VlmPreferenceLabeller(Model(server), "to open the drawer", reopened).CompareAsync(Frame(5), Frame(2));
            Assert.That(server.Received, Has.Count.EqualTo(10));
        }
    }

    [Test]
    public async Task RequestsAreSpacedByTheRateLimit()
    {
        using var server = new ChatServer(TwoStage((a, b) => "1"));
        var limiter = new RequestRateLimiter(requestsPerMinute: 600); // one request start every 100 ms
        var labeller = new VlmPreferenceLabeller(Model(server), Goal, limiter: limiter, maxConcurrency: 3);
        var clock = Stopwatch.StartNew();
        await labeller.LabelAsync([(1, 2), (3, 4), (5, 6)], Frame);
        var arrivals = server.Received.Select(r => r.Arrived).OrderBy(t => t).ToArray();
        Assert.That(arrivals, Has.Length.EqualTo(6));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(480)), "6 starts 100 ms apart");
        for (int i = 1; i < arrivals.Length; i++)
            Assert.That(arrivals[i] - arrivals[i - 1], Is.GreaterThan(TimeSpan.FromMilliseconds(60)), $"requests {i - 1} and {i}");
    }
}
