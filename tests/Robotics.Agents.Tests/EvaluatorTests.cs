using NUnit.Framework;
using Robotics.Agents.Evaluation;
using Robotics.Envs;

namespace Robotics.Agents.Tests;

[TestFixture]
public class EvaluatorTests
{
    /// <summary>Keeps the hand where it is: reach never succeeds, and each episode ends where it started.</summary>
    private sealed class StillPolicy : IPolicy
    {
        public int ObservationSize => 39;
        public int ActionSize => 4;
        public void Act(ReadOnlySpan<float> observation, Span<float> action, bool deterministic) => action.Clear();
    }

    [Test]
    public void EachEpisodeKeepsItsLastStepsInfo()
    {
        using var env = FrankaSuite.Make("reach", Envs.Franka.FrankaEnvOptions.Default with { MaxEpisodeSteps = 20 });
        var result = Evaluator.Evaluate(env, new StillPolicy(), episodes: 2, firstSeed: 5);
        var state = ((Envs.Franka.FrankaEnv)((Core.Wrappers.TimeLimit)env).Inner).State;
        Assert.That(result.Episodes.Select(e => e.Success), Is.All.False);
        Assert.That(result.Episodes.Select(e => e.FinalInfo.Keys), Has.All.Contains("hand_to_goal"));
        // The second episode's last step is the env's current state.
        Assert.That(result.Episodes[1].FinalInfo["hand_to_goal"], Is.EqualTo(System.Numerics.Vector3.Distance(state.Hand, state.Goal)).Within(1e-6));
        Assert.That(result.Episodes[0].FinalInfo["hand_to_goal"], Is.Not.EqualTo(result.Episodes[1].FinalInfo["hand_to_goal"]), "episodes have other goals");
    }
}
