using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Rewards.States;

/// <summary>A state to try a reward program on, with the action that led to it and the task's own reward there.</summary>
public sealed record LabelledState(string Label, FrankaState State, float[] Action, double TaskReward);

/// <summary>
/// The states `reward check` and the repair loop evaluate a program on: the start, quarter points and end of the
/// scripted expert's episode (where the reward should rise toward success), the end of a random-action episode, and
/// one degenerate state where hand, object and goal coincide, which catches divisions by a distance that is zero.
/// </summary>
public static class CheckStates
{
    /// <summary>Expert steps before the episode is cut (solved episodes stop earlier).</summary>
    private const int ExpertSteps = 300;
    private const int RandomSteps = 50;

    public static IReadOnlyList<LabelledState> Collect(string taskName, int seed = 0)
    {
        var task = FrankaSuite.CreateTask(taskName);
        using var env = new FrankaEnv(task);
        var states = new List<LabelledState>();
        LabelledState Here(string label, float[] action) =>
            new(label, env.State, action, task.ComputeReward(env.State, action).Reward);

        var expertPath = new List<(FrankaState State, float[] Action, double Reward)>();
        env.Reset(seed);
        var expert = task.CreateExpert();
        expert.Reset();
        var zero = new float[env.ActionSpace.Dimension];
        states.Add(Here("expert t=0", zero));
        for (int t = 1, after = -1; t <= ExpertSteps; t++)
        {
            var action = new float[env.ActionSpace.Dimension];
            expert.Act(env.State, action);
            var step = env.Step(action);
            expertPath.Add((env.State, action, step.Reward));
            if (step.Info.Success && after < 0) after = 10; // a few steps past success, then stop
            if (after >= 0 && after-- == 0) break;
        }
        foreach (var fraction in new[] { 0.25, 0.5, 0.75, 1.0 })
        {
            int i = Math.Max(0, (int)Math.Round(fraction * expertPath.Count) - 1);
            var (state, action, reward) = expertPath[i];
            states.Add(new LabelledState($"expert t={i + 1}", state, action, reward));
        }

        var rng = new Rng(seed + 1);
        env.Reset(seed + 1);
        var random = new float[env.ActionSpace.Dimension];
        for (int t = 0; t < RandomSteps; t++)
        {
            random = new float[env.ActionSpace.Dimension];
            for (int i = 0; i < random.Length; i++) random[i] = (float)rng.Uniform(-1, 1);
            env.Step(random);
        }
        states.Add(Here($"random t={RandomSteps}", random));

        var last = expertPath[^1].State;
        var coincident = last with { Hand = last.Goal, Object = last.Goal, LeftPad = last.Goal, RightPad = last.Goal };
        states.Add(new LabelledState("degenerate: hand = object = goal", coincident, zero, task.ComputeReward(coincident, zero).Reward));
        return states;
    }
}
