using System.Diagnostics;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Iql;
using Robotics.Agents.Logging;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using static Robotics.Torch.torch;

namespace Robotics.Deploy.Tests;

/// <summary>
/// A reach policy trained the way `robo collect` + `robo train --algo bc` would (noisy-expert episodes, behaviour
/// cloning), small enough to train in seconds, shared by the tests that need a trained network.
/// </summary>
internal static class ReachBc
{
    public const int EvaluationSeed = TrainingContext.EvaluationSeedOffset;

    private static readonly Lazy<(string Checkpoint, double SimSuccess, double Seconds)> Trained = new(Train);

    public static string Checkpoint => Trained.Value.Checkpoint;
    /// <summary>Success rate of the final evaluation in simulation (10 episodes of 500 steps at 80 Hz).</summary>
    public static double SimulationSuccessRate => Trained.Value.SimSuccess;
    public static double TrainingSeconds => Trained.Value.Seconds;

    private static (string, double, double) Train()
    {
        var clock = Stopwatch.StartNew();
        var directory = TempDirectory.Create("reach-bc");
        // 12 noisy-expert episodes: the noise (σ = 0.3, as `robo collect` defaults) shows the learner how to recover.
        using var env = new FrankaEnv(FrankaSuite.CreateTask("reach"));
        var rollout = new ExpertRollout(env, 0.3, new Rng(0).Spawn());
        const int episodes = 12;
        var data = TransitionDataset.Allocate(episodes * rollout.MaxEpisodeSteps, FrankaEnv.ObservationSize, 4);
        for (int i = 0; i < episodes; i++) rollout.Run(i, data, i * rollout.MaxEpisodeSteps);
        using var logger = new MetricsLogger(directory, tensorBoard: false);
        var ctx = new TrainingContext
        {
            MakeEnv = () => FrankaSuite.Make("reach"), RunDirectory = directory, Logger = logger, Seed = 0,
            EvalEvery = 0, EvalEpisodes = 10, CheckpointEvery = 0, LogEvery = 1000, FinalVideo = false,
            CheckpointMetadata = new Dictionary<string, string> { ["task"] = "reach", ["control"] = "EndEffector", ["reward"] = "Dense" },
        };
        var summary = BehaviorCloning.Train(new BcConfig { TotalSteps = 2500, BatchSize = 256, Hidden = 128, Lr = 1e-3 }, data, ctx);
        return (summary.LastCheckpoint!, summary.FinalEvaluation!.SuccessRate, clock.Elapsed.TotalSeconds);
    }
}
