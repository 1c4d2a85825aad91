using System.Diagnostics;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Evaluation;
using Robotics.Agents.Training;
using Robotics.Core.Data;
using Robotics.Core.Seeding;

namespace Robotics.Agents.Iql;

/// <summary>What the offline loop needs of an agent: IQL and behaviour cloning both learn this way.</summary>
public interface IOfflineAgent : IPolicy
{
    /// <summary>One gradient step on a minibatch; a NaN loss is thrown (as <see cref="NonFiniteLossException"/>) before it is applied.</summary>
    void Update(ReplayBatch batch, long step, Dictionary<string, double>? metrics = null);
    void Save(CheckpointWriter writer);
    void Load(CheckpointReader reader);
    /// <summary>Whether the agent normalises observations with these statistics (a resumed run must use the same data).</summary>
    bool NormalizesWith(ObservationNormalizer statistics);
}

/// <summary>
/// The offline training loop, CORL's in C#: sample a minibatch of the dataset, update, and on their schedules log,
/// evaluate in the env and checkpoint. Every schedule in the <see cref="TrainingContext"/> (LogEvery, EvalEvery,
/// CheckpointEvery) counts gradient steps here. Minibatch k comes from an Rng seeded with ctx.Seed whose state is in
/// every checkpoint, so a resumed run draws the same batches an uninterrupted one would.
/// </summary>
public static class OfflineTraining
{
    /// <param name="rewardsMatter">the agent learns from rewards (IQL): the dataset's reward scale is logged, stored
    /// in checkpoints and must match on resume. Behaviour cloning ignores rewards.</param>
    public static TrainingSummary Run(string algorithm, IOfflineAgent agent, OfflineDataset dataset, long totalSteps, TrainingContext ctx, bool rewardsMatter)
    {
        var rng = new Rng(ctx.Seed);
        long step = 0;

        if (ctx.ResumeFrom is not null)
        {
            using var reader = CheckpointReader.Open(ctx.ResumeFrom, algorithm);
            agent.Load(reader);
            if (!agent.NormalizesWith(dataset.Normalizer))
                throw new InvalidDataException($"checkpoint '{ctx.ResumeFrom}' normalises observations with other statistics than this dataset's: it was trained on other data");
            if (rewardsMatter) reader.Expect("reward_scale", dataset.RewardScale);
            step = reader.GetLong("gradient_steps");
            reader.LoadInto("rng", rng);
            reader.RestoreTorchRngState();
        }
        else
        {
            ctx.Logger.Log(0, "dataset/transitions", dataset.Count);
            ctx.Logger.Log(0, "dataset/episodes", dataset.Returns.Episodes);
            if (rewardsMatter) ctx.Logger.Log(0, "dataset/reward_scale", dataset.RewardScale);
        }

        var metrics = new Dictionary<string, double>();
        bool interrupted = false;
        string? lastCheckpoint = null;
        double? lastSuccess = null;
        (long step, EvaluationResult result)? lastEvaluation = null;
        long startStep = step;
        var clock = Stopwatch.StartNew();

        void SaveCheckpoint(string path) => lastCheckpoint = ctx.WriteCheckpoint(algorithm, path, writer =>
        {
            agent.Save(writer);
            writer.Set("gradient_steps", step).Set("rng", rng).AddTorchRngState();
            if (rewardsMatter) writer.Set("reward_scale", dataset.RewardScale);
        });

        ctx.KeepBest(save: path => ctx.WriteCheckpoint(algorithm, path, agent.Save),
                     load: path => { using var reader = CheckpointReader.Open(path, algorithm); agent.Load(reader); });

        try
        {
            while (step < totalSteps)
            {
                if (ctx.Cancellation.IsCancellationRequested) { interrupted = true; break; }

                bool log = TrainingContext.Due(step + 1, ctx.LogEvery);
                agent.Update(dataset.Sample(rng), step + 1, log ? metrics : null);
                step++;

                if (log)
                {
                    ctx.Logger.Log(step, metrics);
                    ctx.Logger.Log(step, "charts/SPS", (step - startStep) / clock.Elapsed.TotalSeconds);
                    metrics.Clear();
                }
                if (TrainingContext.Due(step, ctx.EvalEvery))
                {
                    lastEvaluation = (step, ctx.Evaluate(agent, step));
                    lastSuccess = lastEvaluation.Value.result.SuccessRate;
                }
                if (TrainingContext.Due(step, ctx.CheckpointEvery))
                    SaveCheckpoint(ctx.CheckpointPath(step));
                if (step % 100 == 0 || step == totalSteps)
                    ctx.Progress?.Report(new TrainingProgress(step, totalSteps, (step - startStep) / clock.Elapsed.TotalSeconds, lastSuccess));
            }
        }
        catch (NonFiniteLossException e)
        {
            // No part of the failing update was applied: what the agent holds now is the last good state.
            var path = ctx.LastGoodCheckpointPath(step);
            SaveCheckpoint(path);
            ctx.Logger.Flush();
            throw e.WithCheckpoint(path);
        }

        return ctx.Finish(algorithm, agent, step, startStep, clock, interrupted, lastCheckpoint, path =>
        {
            SaveCheckpoint(path);
            return path;
        }, lastEvaluation);
    }

    /// <summary>Refuses, before any training, a dataset whose observation or action size differs from the evaluation env's.</summary>
    public static void CheckEnvironmentFits(TransitionDataset data, TrainingContext ctx, string algorithm)
    {
        using var env = ctx.MakeEnv();
        int obs = env.ObservationSpace.Dimension, act = env.ActionSpace.Dimension;
        if (obs != data.ObservationSize || act != data.ActionSize)
            throw new ArgumentException($"{algorithm}: the dataset has {data.ObservationSize}-number observations and {data.ActionSize}-number actions, " +
                                        $"but the env has {obs} and {act}");
    }
}
