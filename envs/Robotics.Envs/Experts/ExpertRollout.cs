using System.Numerics;
using Robotics.Core.Data;
using Robotics.Core.Envs;
using Robotics.Core.Seeding;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Envs.Experts;

/// <summary>One episode of a scripted expert: whether it succeeded, at which step first, and its return.</summary>
public readonly record struct ExpertEpisode(int Seed, bool Success, int? StepsToSuccess, double Return, int Steps);

/// <summary>What `robo expert` reports over a set of episodes.</summary>
public sealed record ExpertSummary(int Episodes, double SuccessRate, double MeanReturn, double? MeanStepsToSuccess)
{
    /// <summary>Mean steps to success counts the successful episodes only (null when there are none).</summary>
    public static ExpertSummary Of(IReadOnlyCollection<ExpertEpisode> episodes)
    {
        if (episodes.Count == 0) throw new ArgumentException("no episodes to summarise");
        var solved = episodes.Where(e => e.Success).ToList();
        return new ExpertSummary(episodes.Count, solved.Count / (double)episodes.Count, episodes.Average(e => e.Return),
            solved.Count > 0 ? solved.Average(e => e.StepsToSuccess!.Value) : null);
    }
}

/// <summary>
/// Rolls a task's scripted expert on a <see cref="FrankaEnv"/> for whole episodes (to the env's time limit, 500 steps
/// by default; success = info.Success at any step), optionally with Gaussian action noise and recording every
/// transition. `robo expert` and `robo collect` both use it. The env is borrowed, not owned.
/// </summary>
public sealed class ExpertRollout
{
    private readonly FrankaEnv _env;
    private readonly TimeLimit _limited;
    private readonly IScriptedPolicy _expert;
    private readonly double _noise;
    private readonly Rng? _noiseRng;
    private readonly float[] _action;
    private readonly Vector3 _goalOffset;
    private readonly double _offsetFraction;

    /// <param name="env">an end-effector-controlled env (the experts speak Meta-World's 4-number action)</param>
    /// <param name="actionNoise">std of Gaussian noise added to the xyz and gripper numbers, then clipped to [-1, 1]</param>
    /// <param name="noiseRng">the noise's generator, required when <paramref name="actionNoise"/> is positive; its stream runs on across episodes</param>
    /// <param name="goalOffset">a miscalibrated demonstrator: in a fraction of the episodes the expert aims at Goal + this offset</param>
    /// <param name="offsetFraction">the probability that an episode is miscalibrated (drawn from <paramref name="noiseRng"/>)</param>
    public ExpertRollout(FrankaEnv env, double actionNoise = 0, Rng? noiseRng = null, Vector3 goalOffset = default, double offsetFraction = 0)
    {
        if (env.Options.Control != ControlMode.EndEffector)
            throw new ArgumentException($"scripted experts act in end-effector space; the env uses {env.Options.Control} control");
        if (!(actionNoise >= 0) || !double.IsFinite(actionNoise))
            throw new ArgumentOutOfRangeException(nameof(actionNoise), $"action noise must be a finite number >= 0, got {actionNoise}");
        if (actionNoise > 0 && noiseRng == null) throw new ArgumentNullException(nameof(noiseRng), "action noise needs a seeded Rng");
        if (offsetFraction is < 0 or > 1 || double.IsNaN(offsetFraction))
            throw new ArgumentOutOfRangeException(nameof(offsetFraction), $"the miscalibrated fraction must be in [0, 1], got {offsetFraction}");
        if (offsetFraction > 0 && noiseRng == null) throw new ArgumentNullException(nameof(noiseRng), "miscalibrated episodes are drawn with a seeded Rng");
        _goalOffset = goalOffset;
        _offsetFraction = offsetFraction;
        _env = env;
        _limited = new TimeLimit(env, env.Options.MaxEpisodeSteps);
        _expert = env.Task.CreateExpert();
        _noise = actionNoise;
        _noiseRng = noiseRng;
        _action = new float[env.ActionSpace.Dimension];
    }

    public FrankaEnv Env => _env;
    public int MaxEpisodeSteps => _limited.MaxEpisodeSteps;

    /// <summary>
    /// Runs one episode from Reset(seed) to the time limit. With <paramref name="record"/>, transition t goes to row
    /// <paramref name="recordAt"/> + t (the dataset needs MaxEpisodeSteps free rows there); the action recorded is the
    /// one executed, noise included.
    /// </summary>
    public ExpertEpisode Run(int seed, TransitionDataset? record = null, int recordAt = 0)
    {
        if (record != null)
        {
            if (record.ObservationSize != FrankaEnv.ObservationSize || record.ActionSize != _action.Length)
                throw new ArgumentException($"the dataset holds {record.ObservationSize}-number observations and {record.ActionSize}-number actions; this env has {FrankaEnv.ObservationSize} and {_action.Length}");
            if (recordAt < 0 || recordAt + MaxEpisodeSteps > record.Count)
                throw new ArgumentOutOfRangeException(nameof(recordAt), $"rows {recordAt}..{recordAt + MaxEpisodeSteps - 1} do not fit a dataset of {record.Count}");
        }
        var obs = _limited.Reset(seed).Observation;
        _expert.Reset();
        // Drawn only when asked for, so plain noisy rollouts keep the noise stream they always had.
        bool miscalibrated = _offsetFraction > 0 && _noiseRng!.NextDouble() < _offsetFraction;
        double episodeReturn = 0;
        int? firstSuccess = null;
        for (int t = 0; ; t++)
        {
            var seen = miscalibrated ? _env.State with { Goal = _env.State.Goal + _goalOffset } : _env.State;
            _expert.Act(seen, _action);
            if (_noise > 0) AddNoise(_action);
            var step = _limited.Step(_action);
            episodeReturn += step.Reward;
            if (firstSuccess == null && step.Info.Success) firstSuccess = t + 1;
            if (record != null)
            {
                int row = recordAt + t;
                obs.CopyTo(record.Observation(row));
                _action.CopyTo(record.Action(row));
                record.Rewards[row] = (float)step.Reward;
                record.Terminals[row] = step.Terminated;
                record.Timeouts[row] = step.Truncated;
                step.Observation.CopyTo(record.NextObservation(row));
            }
            obs = step.Observation;
            // FrankaEnv never terminates; the time limit truncates.
            if (step.Done) return new ExpertEpisode(seed, firstSuccess != null, firstSuccess, episodeReturn, t + 1);
        }
    }

    /// <summary>Noise on the displacement (0–2) and the gripper (last), clipped back into the action box.</summary>
    private void AddNoise(Span<float> action)
    {
        for (int i = 0; i < action.Length; i++)
        {
            if (i >= 3 && i != action.Length - 1) continue;
            action[i] = Math.Clamp(action[i] + (float)(_noise * _noiseRng!.NextGaussian()), -1f, 1f);
        }
    }
}
