using System.Numerics;
using Robotics.Core.Seeding;
using Robotics.Envs.Tasks;
using Robotics.Rewards.Preferences.Data;
using Robotics.Rewards.Sources;

namespace Robotics.Rewards.Tests;

/// <summary>
/// A cheap stand-in for a task, for preference tests that need no physics: states with a hand and a goal, and a
/// ground truth that rewards the hand for being near the goal (reach's idea, without MuJoCo).
/// </summary>
internal static class PreferencesSynthetic
{
    public const int ActionSize = 4;

    public static FrankaState State(Vector3 hand, Vector3 goal) => new(
        Hand: hand, GripperOpening: 1, LeftPad: default, RightPad: default,
        Object: default, ObjectOrientation: Quaternion.Identity, Object2: default, Object2Orientation: Quaternion.Identity,
        Goal: goal, HandInitial: default, ObjectInitial: default, Joint: 0);

    /// <summary>r = −|hand − goal| (metres).</summary>
    public sealed class NearGoal : IRewardSource
    {
        public string Name => "near_goal";
        public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
        {
            double r = -Vector3.Distance(state.Hand, state.Goal);
            return new RewardLabel(r, [(Name, r)]);
        }
    }

    /// <summary>r = hand x: a reward whose returns a test sets exactly through the states it writes.</summary>
    public sealed class HandX : IRewardSource
    {
        public string Name => "hand_x";
        public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action) => new(state.Hand.X, [(Name, state.Hand.X)]);
    }

    /// <summary>A segment whose step t has hand x = rewards[t] (so under <see cref="HandX"/> its rewards are exactly those).</summary>
    public static Segment WithRewards(params float[] rewards)
    {
        var trajectory = new Trajectory("scripted", 0, ActionSize);
        foreach (var r in rewards) trajectory.Add(State(new Vector3(r, 0.5f, 0.2f), new Vector3(0, 0.6f, 0.2f)), [0, 0, 0, -1]);
        return trajectory.Cut(0, rewards.Length);
    }

    /// <summary>
    /// Trajectories that hover at their own distance from a random goal (from 1 to 40 cm), with jitter and random
    /// actions: segments from two of them differ in true return by how far each stays from its goal.
    /// </summary>
    public static List<Trajectory> Trajectories(int count, int steps, Rng rng)
    {
        var list = new List<Trajectory>(count);
        for (int k = 0; k < count; k++)
        {
            var trajectory = new Trajectory($"hover_{k}", k, ActionSize);
            var goal = new Vector3((float)rng.Uniform(-0.1, 0.1), (float)rng.Uniform(0.45, 0.65), (float)rng.Uniform(0.05, 0.3));
            double distance = rng.Uniform(0.01, 0.4);
            var action = new float[ActionSize];
            for (int t = 0; t < steps; t++)
            {
                var direction = Vector3.Normalize(new Vector3((float)rng.NextGaussian(), (float)rng.NextGaussian(), (float)rng.NextGaussian()));
                var hand = goal + direction * (float)(distance * rng.Uniform(0.7, 1.3));
                for (int i = 0; i < ActionSize; i++) action[i] = (float)rng.Uniform(-1, 1);
                trajectory.Add(State(hand, goal), action);
            }
            list.Add(trajectory);
        }
        return list;
    }
}
