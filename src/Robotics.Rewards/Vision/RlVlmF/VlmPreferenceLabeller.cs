using System.Text.RegularExpressions;
using Robotics.Core.Images;
using Robotics.Rewards.Generation;

namespace Robotics.Rewards.Vision.RlVlmF;

/// <summary>How a question about a pair ended.</summary>
public enum PreferenceOutcome
{
    /// <summary>The VLM preferred one image (label 0 or 1).</summary>
    Preferred,
    /// <summary>The VLM answered −1: no difference, or unsure. RL-VLM-F drops these.</summary>
    Unsure,
    /// <summary>The answer held no 0, 1 or −1 to read; dropped.</summary>
    Malformed,
    /// <summary>The server could not be reached or kept failing after the retries; dropped.</summary>
    Failed,
}

/// <summary>The answer about one pair: <see cref="Label"/> 0 = the first image achieves the goal better, 1 = the second; null when dropped.</summary>
public sealed record PreferenceAnswer(PreferenceOutcome Outcome, int? Label, string Analysis, string Answer, bool Cached, string? Error = null);

/// <summary>A kept label: items <see cref="First"/> and <see cref="Second"/> (indices into the caller's frames) and which one is better (0 or 1).</summary>
public readonly record struct PreferenceLabel(int First, int Second, int Label);

/// <summary>Counts of how questions ended, for the run's log.</summary>
public sealed record PreferenceStats(int Asked, int Preferred, int Unsure, int Malformed, int Failed, int Cached);

/// <summary>
/// RL-VLM-F's labeller (Wang et al. 2024, "RL-VLM-F: Reinforcement Learning from Vision Language Foundation Model
/// Feedback"): shown two frames and the goal, the VLM first writes an analysis (what each image shows and whether they
/// differ in achieving the goal), then, given only that analysis, answers 0 (image 1), 1 (image 2) or −1 (no
/// difference or unsure). Splitting the two stages is the paper's finding: asking for the label directly is less
/// accurate. Answers of −1, and answers with no label in them, are dropped rather than guessed.
/// Requests are spaced by <see cref="RequestRateLimiter"/>, retried by the client, and cached on disk.
/// </summary>
public sealed partial class VlmPreferenceLabeller(IVisionChatModel model, string goal, VlmAnswerCache? cache = null,
                                                 RequestRateLimiter? limiter = null, int maxConcurrency = 4)
{
    public IVisionChatModel VisionModel { get; } = model;
    /// <summary>What the frames are judged against, phrased to follow "The goal is": "to push the red puck onto the green target".</summary>
    public string Goal { get; } = string.IsNullOrWhiteSpace(goal) ? throw new ArgumentException("rl-vlm-f: the goal description is empty") : goal.Trim();
    public int MaxConcurrency { get; } = maxConcurrency > 0 ? maxConcurrency : throw new ArgumentOutOfRangeException(nameof(maxConcurrency), maxConcurrency, "must be positive");

    /// <summary>Part of every cache key: a change to the prompts' wording must not reuse answers to the old wording.</summary>
    public const string PromptVersion = "rl-vlm-f/1\n";

    /// <summary>The three questions of stage 1, repeated in stage 2 so the analysis is read against them.</summary>
    public string Questions =>
        "1. What is shown in Image 1?\n" +
        "2. What is shown in Image 2?\n" +
        $"3. The goal is {Goal}. Is there any difference between Image 1 and Image 2 in terms of achieving the goal?";

    /// <summary>Stage 2: the analysis, then the question with the reply format the answer is parsed by.</summary>
    public string LabelPrompt(string analysis) =>
        $"Based on the text below to the questions:\n{Questions}\n{analysis.Trim()}\n\n" +
        "Is the goal better achieved in Image 1 or Image 2?\n" +
        "Reply a single line of 0 if the goal is better achieved in Image 1, or 1 if it is better achieved in Image 2.\n" +
        "Reply -1 if the text is unsure or there is no difference.";

    /// <summary>Asks about one pair (or reads the cached answer).</summary>
    public async Task<PreferenceAnswer> CompareAsync(RgbImage first, RgbImage second, CancellationToken cancellation = default)
    {
        var key = VlmAnswerCache.Key(VisionModel.Model, PromptVersion + Questions, first, second);
        if (cache is not null && cache.TryGet(key, out var known)) return Read(known, cached: true);
        try
        {
            if (limiter is not null) await limiter.WaitAsync(cancellation).ConfigureAwait(false);
            var analysis = await VisionModel.CompleteAsync(
            [
                VisionTurn.User(new VisionPart.Text("Consider the following two images:\nImage 1:"), new VisionPart.Image(first),
                                new VisionPart.Text("Image 2:"), new VisionPart.Image(second), new VisionPart.Text(Questions)),
            ], cancellation).ConfigureAwait(false);
            if (limiter is not null) await limiter.WaitAsync(cancellation).ConfigureAwait(false);
            var answer = await VisionModel.CompleteAsync([VisionTurn.User(new VisionPart.Text(LabelPrompt(analysis)))], cancellation).ConfigureAwait(false);
            var result = new VlmAnswer(analysis, answer);
            cache?.Add(key, result); // malformed and unsure answers too: asking again costs as much and likely says the same
            return Read(result, cached: false);
        }
        catch (LlmException e)
        {
            return new PreferenceAnswer(PreferenceOutcome.Failed, null, "", "", false, e.Message);
        }
    }

    /// <summary>
    /// Labels pairs of frames (indices into <paramref name="frames"/>), <see cref="MaxConcurrency"/> questions at a time,
    /// keeping only the pairs the VLM preferred one of. Throws when every question failed to reach the server, since that
    /// is a configuration error rather than a noisy labeller.
    /// </summary>
    public async Task<(IReadOnlyList<PreferenceLabel> Labels, PreferenceStats Stats, IReadOnlyList<PreferenceAnswer> Answers)> LabelAsync(
        IReadOnlyList<(int First, int Second)> pairs, Func<int, RgbImage> frames, CancellationToken cancellation = default)
    {
        var answers = new PreferenceAnswer[pairs.Count];
        using var gate = new SemaphoreSlim(MaxConcurrency);
        var tasks = pairs.Select(async (pair, i) =>
        {
            await gate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                answers[i] = await CompareAsync(frames(pair.First), frames(pair.Second), cancellation).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var stats = new PreferenceStats(answers.Length, answers.Count(a => a.Outcome == PreferenceOutcome.Preferred),
            answers.Count(a => a.Outcome == PreferenceOutcome.Unsure), answers.Count(a => a.Outcome == PreferenceOutcome.Malformed),
            answers.Count(a => a.Outcome == PreferenceOutcome.Failed), answers.Count(a => a.Cached));
        if (answers.Length > 0 && stats.Failed == answers.Length)
            throw new LlmException($"rl-vlm-f: all {answers.Length} questions to {VisionModel.Describe} failed; the first: {answers[0].Error}");
        var labels = new List<PreferenceLabel>();
        for (int i = 0; i < answers.Length; i++)
            if (answers[i].Label is { } label) labels.Add(new PreferenceLabel(pairs[i].First, pairs[i].Second, label));
        return (labels, stats, answers);
    }

    private static PreferenceAnswer Read(VlmAnswer answer, bool cached)
    {
        var label = ParseLabel(answer.Answer);
        var outcome = label switch { null => PreferenceOutcome.Malformed, -1 => PreferenceOutcome.Unsure, _ => PreferenceOutcome.Preferred };
        return new PreferenceAnswer(outcome, label is 0 or 1 ? label : null, answer.Analysis, answer.Answer, cached);
    }

    [GeneratedRegex(@"^(?:answer|label|reply)?\s*[:=]?\s*(-1|0|1)\s*\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLine();

    /// <summary>
    /// The label on the reply's last non-empty line, markdown emphasis and a trailing full stop allowed ("**1**", "Answer: 0.",
    /// "-1"); null when that line is anything else. Only the last line counts: models that explain first put the label last,
    /// and a number inside a sentence ("Image 1 is closer") is not an answer.
    /// </summary>
    public static int? ParseLabel(string reply)
    {
        var line = reply.Split('\n').Select(l => l.Trim().Trim('*', '`', '"', '\'', ' ')).LastOrDefault(l => l.Length > 0);
        if (line is null) return null;
        var m = LabelLine().Match(line);
        return m.Success ? int.Parse(m.Groups[1].Value) : null;
    }
}
