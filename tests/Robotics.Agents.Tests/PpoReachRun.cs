using System.Globalization;
using NUnit.Framework;
using Robotics.Agents.Logging;
using Robotics.Agents.Ppo;
using Robotics.Agents.Training;
using Robotics.Envs;

namespace Robotics.Agents.Tests;

/// <summary>
/// A long PPO run on a Franka task for measuring throughput and the success curve; never part of a normal test run.
/// Configured by environment variables (defaults in brackets): PPO_TASK [reach], PPO_STEPS [1000000], PPO_ENVS [4],
/// PPO_WORKERS [min(envs, cores)], PPO_NUM_STEPS [2048], PPO_MINIBATCHES [32], PPO_EPOCHS [10], PPO_LR [3e-4],
/// PPO_GAMMA [0.99], PPO_ENT [0], PPO_LOGSTD [0], PPO_HIDDEN [64], PPO_NORM_REWARD [1], PPO_SEED [1],
/// PPO_EVAL_EVERY [50000], PPO_EVAL_EPISODES [10], PPO_TORCH_THREADS [libtorch's default], PPO_DIR [/tmp/ppo-{task}-{seed}].
/// Example: PPO_STEPS=200000 dotnet test tests/Robotics.Agents.Tests -c Release --no-build --filter Name=PpoOnFrankaTask
/// </summary>
[TestFixture, Explicit("long measurement run; configure with PPO_* environment variables")]
public class PpoReachRun
{
    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
    private static int Int(string name, int fallback) => int.Parse(Env(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    private static double Dbl(string name, double fallback) => double.Parse(Env(name, fallback.ToString("R", CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    [Test]
    public void PpoOnFrankaTask()
    {
        var task = Env("PPO_TASK", "reach");
        int seed = Int("PPO_SEED", 1);
        if (Environment.GetEnvironmentVariable("PPO_TORCH_THREADS") is { Length: > 0 } threads)
            Robotics.Torch.torch.set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
        var config = new PpoConfig
        {
            TotalSteps = long.Parse(Env("PPO_STEPS", "1000000"), CultureInfo.InvariantCulture),
            NumEnvs = Int("PPO_ENVS", 4),
            Workers = Environment.GetEnvironmentVariable("PPO_WORKERS") is { Length: > 0 } w ? int.Parse(w, CultureInfo.InvariantCulture) : null,
            NumSteps = Int("PPO_NUM_STEPS", 2048),
            NumMinibatches = Int("PPO_MINIBATCHES", 32),
            UpdateEpochs = Int("PPO_EPOCHS", 10),
            LearningRate = Dbl("PPO_LR", 3e-4),
            Gamma = Dbl("PPO_GAMMA", 0.99),
            EntCoef = Dbl("PPO_ENT", 0),
            InitialLogStd = Dbl("PPO_LOGSTD", 0),
            Hidden = Int("PPO_HIDDEN", 64),
            NormalizeRewards = Int("PPO_NORM_REWARD", 1) != 0,
        };
        var dir = Env("PPO_DIR", $"/tmp/ppo-{task}-{seed}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        using var logger = new MetricsLogger(dir, tensorBoard: false);
        var summary = Ppo.Ppo.Train(config, new TrainingContext
        {
            MakeEnv = () => FrankaSuite.Make(task), RunDirectory = dir, Logger = logger, Seed = seed,
            EvalEvery = Int("PPO_EVAL_EVERY", 50_000), EvalEpisodes = Int("PPO_EVAL_EPISODES", 10), CheckpointEvery = 200_000,
            LogEvery = 1, FinalVideo = false,
        });
        TestContext.Out.WriteLine($"{config}; libtorch threads {Robotics.Torch.torch.get_num_threads()}, cores {Environment.ProcessorCount}");
        TestContext.Out.WriteLine($"{summary.Steps} steps in {summary.Seconds:F0} s = {summary.StepsPerSecond:F0} steps/s; " +
                                  $"final success {summary.FinalEvaluation?.SuccessRate:F2}, return {summary.FinalEvaluation?.MeanReturn:F0}; {dir}");
    }
}
