using Robotics.Core.Envs;
using Robotics.Core.Images;

namespace Robotics.Agents.Evaluation;

/// <summary>
/// One evaluation episode: its return, length, whether the task succeeded at any step (Meta-World's rule), and the
/// numbers its last step's info carried (e.g. obj_to_goal: where a failed episode ended up).
/// </summary>
public readonly record struct EpisodeOutcome(int Seed, double Return, int Length, bool Success, IReadOnlyDictionary<string, double> FinalInfo);

public sealed record EvaluationResult(IReadOnlyList<EpisodeOutcome> Episodes)
{
    public double SuccessRate => Episodes.Count == 0 ? 0 : Episodes.Count(e => e.Success) / (double)Episodes.Count;
    public double MeanReturn => Episodes.Count == 0 ? 0 : Episodes.Average(e => e.Return);
    public double MeanLength => Episodes.Count == 0 ? 0 : Episodes.Average(e => e.Length);
}

/// <summary>
/// Runs a policy for N full episodes on an env that truncates (a TimeLimit), episode i seeded with
/// firstSeed + i so evaluations are comparable across checkpoints and never touch the training env's RNG.
/// </summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(IEnv env, IPolicy policy, int episodes, int firstSeed, bool deterministic = true,
                                            Action<RgbImage>? recordFrame = null, int maxStepsPerEpisode = 100_000)
    {
        if (episodes <= 0) throw new ArgumentOutOfRangeException(nameof(episodes), $"evaluation needs at least one episode, got {episodes}");
        var action = new float[env.ActionSpace.Dimension];
        var outcomes = new List<EpisodeOutcome>(episodes);
        for (int e = 0; e < episodes; e++)
        {
            var obs = env.Reset(firstSeed + e).Observation;
            policy.Reset();
            bool record = recordFrame is not null && e == 0; // the first episode is filmed
            if (record) recordFrame!(env.Render());
            double total = 0;
            bool success = false;
            int length = 0;
            Info? last = null;
            while (length < maxStepsPerEpisode)
            {
                policy.Act(obs, action, deterministic);
                var r = env.Step(action);
                length++;
                total += r.Reward;
                success |= r.Info.Success;
                last = r.Info;
                if (record) recordFrame!(env.Render());
                if (r.Done) break;
                obs = r.Observation;
            }
            var final = new Dictionary<string, double>();
            if (last is not null)
                foreach (var (key, value) in last) final[key] = value;
            outcomes.Add(new EpisodeOutcome(firstSeed + e, total, length, success, final));
        }
        return new EvaluationResult(outcomes);
    }
}
