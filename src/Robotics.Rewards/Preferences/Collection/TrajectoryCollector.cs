using Robotics.Core.Seeding;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Collection;

/// <summary>
/// Records trajectories on a Franka env (end-effector control) with behaviour policies, for cutting query segments.
/// Episode i is reset with seed firstSeed + i and driven by policy i mod |policies|, so every policy sees as many
/// episodes and the same seeds give the same trajectories. The env is borrowed, not owned.
/// </summary>
public sealed class TrajectoryCollector
{
    private readonly FrankaEnv _env;
    private readonly IScriptedPolicy _expert;
    private readonly float[] _action;

    public TrajectoryCollector(FrankaEnv env)
    {
        if (env.Options.Control != ControlMode.EndEffector)
            throw new ArgumentException($"the behaviour policies act in end-effector space; the env uses {env.Options.Control} control");
        _env = env;
        _expert = env.Task.CreateExpert();
        _action = new float[env.ActionSpace.Dimension];
    }

    /// <summary>One episode of <paramref name="steps"/> steps (noise and random actions drawn from <paramref name="rng"/>).</summary>
    public Trajectory Run(BehaviourPolicy policy, int seed, int steps, Rng rng)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"an episode needs at least one step, got {steps}");
        var trajectory = new Trajectory(policy.Name, seed, _action.Length);
        _env.Reset(seed);
        _expert.Reset();
        for (int t = 0; t < steps; t++)
        {
            if (policy.Random)
                for (int i = 0; i < _action.Length; i++) _action[i] = (float)rng.Uniform(-1, 1);
            else
            {
                var state = _env.State;
                _expert.Act(policy.GoalOffset == default ? state : state with { Goal = state.Goal + policy.GoalOffset }, _action);
                if (policy.ActionNoise > 0) AddNoise(policy.ActionNoise, rng);
            }
            _env.Step(_action);
            trajectory.Add(_env.State, _action);
        }
        return trajectory;
    }

    public List<Trajectory> Collect(IReadOnlyList<BehaviourPolicy> policies, int episodes, int firstSeed, int steps, Rng rng)
    {
        if (policies.Count == 0) throw new ArgumentException("no behaviour policies to collect with");
        var trajectories = new List<Trajectory>(episodes);
        for (int i = 0; i < episodes; i++) trajectories.Add(Run(policies[i % policies.Count], firstSeed + i, steps, rng));
        return trajectories;
    }

    /// <summary>As ExpertRollout: noise on the displacement (0–2) and the gripper (last), clipped back into the box.</summary>
    private void AddNoise(double std, Rng rng)
    {
        for (int i = 0; i < _action.Length; i++)
        {
            if (i >= 3 && i != _action.Length - 1) continue;
            _action[i] = Math.Clamp(_action[i] + (float)(std * rng.NextGaussian()), -1f, 1f);
        }
    }
}
