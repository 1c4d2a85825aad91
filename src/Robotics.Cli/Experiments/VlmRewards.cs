using Robotics.Agents.Logging;
using Robotics.Cli.Commands;
using Robotics.Cli.Training;
using Robotics.Core.Data;
using Robotics.Envs.Franka;
using Robotics.Rewards.Generation;
using Robotics.Rewards.Vision;
using Robotics.Rewards.Vision.Offline;
using Robotics.Rewards.Vision.VlmRm;

namespace Robotics.Cli.Experiments;

/// <summary>What experiment files with vision-language rewards need before training: the CLIP source, or the relabelled dataset.</summary>
public static class VlmRewards
{
    public static VlmRmRewardSource LoadVlmRm(Experiment e, string experimentPath)
    {
        var r = e.Reward;
        var config = new VlmRmConfig { GoalPrompts = r.GoalPrompts!, BaselinePrompts = r.BaselinePrompts!, Alpha = r.Alpha, BatchSize = r.BatchSize, Camera = r.Camera };
        var device = e.Device == "cuda" ? ClipCommand.ParseDevice("cuda") : Robotics.Torch.Device.CPU;
        return VlmRmRewardSource.Load(RewardSection.Relative(experimentPath, r.ModelDir)!, config, device);
    }

    /// <summary>
    /// VLM-RM for SAC: each step's frame is rendered and queued, and CLIP labels the queue in batches of batch_size into
    /// the replay buffer before every burst of updates (train_freq, which defaults to batch_size) and at episode ends.
    /// </summary>
    public static SacRewardHooks Batched(Experiment e, VlmRmRewardSource source, MetricsLogger logger)
    {
        var batched = new BatchedFrameRewards(source, e.Reward.BatchSize, e.Sac.TrainFrequency, e.Reward.Camera, logger.Log);
        return new SacRewardHooks
        {
            WrapEnv = batched.Wrap, AfterStep = batched.AfterStep, BeforeCheckpoint = batched.BeforeCheckpoint, PlaceholderRewards = true,
        };
    }

    /// <summary>
    /// The dataset relabelled with a reward learned from the VLM's preferences, written once as reward/dataset-rl-vlm-f.npz in
    /// the run directory (a resumed run reuses it, and the answer cache makes a rerun ask nothing twice). Returns its path.
    /// </summary>
    public static string RelabelDataset(Experiment e, string experimentPath, string runDir, string dataset, bool resume)
    {
        var r = e.Reward;
        var output = Path.Combine(runDir, "reward", "dataset-rl-vlm-f.npz");
        if (resume && File.Exists(output)) return output;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var cache = RewardSection.Relative(experimentPath, r.Cache) ?? Path.Combine(runDir, "reward", "vlm-answers.jsonl");
        var config = new OfflineVlmConfig
        {
            Pairs = r.Pairs ?? 500, Seed = e.SeedList[0], FirstSeed = e.Collect?.Seed ?? r.FirstSeed,
            EnvOptions = FrankaEnvOptions.Default with { Reward = ExperimentRunner.EnvOptions(e).Reward },
        };
        var result = VlmCommand.RunRelabel(TransitionDataset.Load(dataset), e.Task, r.Goal!, LlmSettings.FromEnvironment(r.Model, r.BaseUrl),
            r.RequestsPerMinute, r.Concurrency, cache, config, line => Console.WriteLine($"rl-vlm-f: {line}")).GetAwaiter().GetResult();
        var temporary = output + ".tmp";
        result.Relabelled.Save(temporary);
        File.Move(temporary, output, overwrite: true);
        File.WriteAllText(Path.Combine(runDir, "reward", "rl-vlm-f.json"), System.Text.Json.JsonSerializer.Serialize(VlmCommand.Describe(result, output, cache)));
        return output;
    }
}
