using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using Robotics.Agents.Iql;
using Robotics.Agents.Logging;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Experts;
using Robotics.Envs.Franka;
using static Robotics.Torch.torch;
using IqlAlgorithm = Robotics.Agents.Iql.Iql;

namespace Robotics.Agents.Tests;

/// <summary>
/// The offline done-criterion, run by hand (minutes of CPU): a noisy-expert dataset collected exactly as
/// `robo collect --task T --noise σ --episodes N --seed S` collects it, then IQL and behaviour cloning on it, each
/// evaluated in the env. Settings come from environment variables (IQL_EXP_*, below); results go to
/// $IQL_EXP_OUT/results-*.json and each run's metrics.csv.
/// <code>IQL_EXP_STEPS=50000 dotnet test tests/Robotics.Agents.Tests -c Release --no-build --filter FullyQualifiedName~IqlExperiment</code>
/// </summary>
[TestFixture, Explicit("minutes of CPU: the IQL vs BC measurement on a Franka task")]
public class IqlExperiment
{
    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
    private static long Long(string name, long fallback) => long.Parse(Env(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    private static double Double(string name, double fallback) => double.Parse(Env(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    [Test]
    public void IqlBeatsBehaviourCloningOnNoisyExpertData()
    {
        var task = Env("IQL_EXP_TASK", "push");
        int episodes = (int)Long("IQL_EXP_EPISODES", 100), seed = (int)Long("IQL_EXP_SEED", 0);
        double noise = Double("IQL_EXP_NOISE", 0.3);
        long iqlSteps = Long("IQL_EXP_STEPS", 50_000), bcSteps = Long("IQL_EXP_BC_STEPS", iqlSteps);
        long evalEvery = Long("IQL_EXP_EVAL_EVERY", 10_000);
        int evalEpisodes = (int)Long("IQL_EXP_EVAL_EPISODES", 20);
        var algorithms = Env("IQL_EXP_ALGOS", "iql,bc").Split(',');
        var output = Env("IQL_EXP_OUT", Path.Combine(Path.GetTempPath(), "iql-experiment"));
        set_num_threads((int)Long("IQL_EXP_THREADS", 1));
        Directory.CreateDirectory(output);

        // 1. The dataset, as `robo collect` writes it (same rollout, same noise generator), cached by its settings.
        var datasetPath = Path.Combine(output, $"{task}-noise{noise.ToString(CultureInfo.InvariantCulture)}-ep{episodes}-seed{seed}.npz");
        var clock = Stopwatch.StartNew();
        double? datasetSuccess = null;
        if (!File.Exists(datasetPath))
        {
            using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
            var rollout = new ExpertRollout(env, noise, new Rng(seed).Spawn());
            var data = TransitionDataset.Allocate(episodes * rollout.MaxEpisodeSteps, FrankaEnv.ObservationSize, env.ActionSpace.Dimension);
            var results = Enumerable.Range(0, episodes).Select(i => rollout.Run(seed + i, data, i * rollout.MaxEpisodeSteps)).ToList();
            data.Save(datasetPath);
            datasetSuccess = ExpertSummary.Of(results).SuccessRate;
        }
        double collectSeconds = clock.Elapsed.TotalSeconds;
        var dataset = TransitionDataset.Load(datasetPath);

        // 2. Each algorithm on it, evaluated on the env as training uses it (500-step time limit), deterministic actions.
        var report = new Dictionary<string, object?>
        {
            ["task"] = task, ["episodes"] = episodes, ["noise"] = noise, ["seed"] = seed, ["dataset"] = datasetPath,
            ["transitions"] = dataset.Count, ["dataset_success_rate"] = datasetSuccess, ["collect_seconds"] = collectSeconds,
            ["eval_episodes"] = evalEpisodes, ["torch_threads"] = Long("IQL_EXP_THREADS", 1),
        };
        foreach (var algorithm in algorithms)
        {
            var runDirectory = Path.Combine(output, $"{task}__{algorithm}__{seed}__{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
            using var logger = new MetricsLogger(runDirectory, tensorBoard: false);
            var ctx = new TrainingContext
            {
                MakeEnv = () => FrankaSuite.Make(task), RunDirectory = runDirectory, Logger = logger, Seed = seed,
                EvalEvery = evalEvery, EvalEpisodes = evalEpisodes, CheckpointEvery = 0, LogEvery = 1000, FinalVideo = false,
            };
            var summary = algorithm switch
            {
                "iql" => IqlAlgorithm.Train(new IqlConfig { TotalSteps = iqlSteps }, dataset, ctx),
                "iql-det" => IqlAlgorithm.Train(new IqlConfig { TotalSteps = iqlSteps, DeterministicActor = true }, dataset, ctx),
                "bc" => BehaviorCloning.Train(new BcConfig { TotalSteps = bcSteps }, dataset, ctx),
                "bc-gauss" => BehaviorCloning.Train(new BcConfig { TotalSteps = bcSteps, GaussianActor = true, CosineLr = true }, dataset, ctx),
                _ => throw new ArgumentException($"unknown algorithm '{algorithm}' in IQL_EXP_ALGOS"),
            };
            var evals = logger.Latest.ContainsKey("eval/success_rate")
                ? File.ReadAllLines(Path.Combine(runDirectory, MetricsLogger.CsvFileName)).Select(l => l.Split(','))
                      .Where(r => r[2] == "eval/success_rate").Select(r => new[] { double.Parse(r[0], CultureInfo.InvariantCulture), double.Parse(r[3], CultureInfo.InvariantCulture) }).ToList()
                : [];
            report[algorithm] = new Dictionary<string, object?>
            {
                ["steps"] = summary.Steps, ["train_seconds"] = Math.Round(summary.Seconds, 1), ["steps_per_second"] = Math.Round(summary.StepsPerSecond, 1),
                ["final_success_rate"] = summary.FinalEvaluation?.SuccessRate, ["final_mean_return"] = summary.FinalEvaluation?.MeanReturn,
                ["success_rate_by_step"] = evals, ["run_directory"] = runDirectory,
            };
            File.WriteAllText(Path.Combine(output, $"results-{task}-seed{seed}.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            TestContext.Progress.WriteLine($"{algorithm}: {summary.Steps} steps in {summary.Seconds:F0} s, success {summary.FinalEvaluation?.SuccessRate}");
        }
    }
}
