using System.CommandLine;
using Robotics.Agents.Sac;
using Robotics.Rewards.Preferences.Pebble;
using Robotics.Rewards.Preferences.Teachers;

namespace Robotics.Cli.Commands;

/// <summary>
/// `prefs pebble --task T --teacher oracle --steps N --budget B`: SAC with PEBBLE's unsupervised pre-training,
/// scheduled queries to a scripted teacher and buffer relabelling; the last line is the run summary as JSON.
/// </summary>
public static class PrefsPebbleCommand
{
    public static Command Create()
    {
        var pebbleDefaults = new PebbleConfig();
        var sacDefaults = new SacConfig();
        var task = new Option<string>("--task") { Description = "task name (see `robo tasks`)", Required = true };
        var teacher = new Option<string>("--teacher")
        {
            Description = $"scripted teacher ({string.Join(", ", TeacherConfig.PresetNames)}), or human: answer the queries yourself on a local page",
            DefaultValueFactory = _ => "oracle",
        };
        var seed = new Option<int>("--seed") { Description = "seed of networks, env and sampling", DefaultValueFactory = _ => 0 };
        var steps = new Option<long>("--steps") { Description = "env steps", DefaultValueFactory = _ => 100_000 };
        var budget = new Option<int>("--budget") { Description = "queries the teacher answers at most (max_feedback)", DefaultValueFactory = _ => pebbleDefaults.MaxFeedback };
        var queries = new Option<int>("--queries") { Description = "queries per feedback session (reward_batch)", DefaultValueFactory = _ => pebbleDefaults.QueriesPerSession };
        var every = new Option<int>("--query-every") { Description = "env steps between feedback sessions (num_interact)", DefaultValueFactory = _ => pebbleDefaults.QueryEvery };
        var seedSteps = new Option<int>("--seed-steps") { Description = "uniform random steps before SAC learns (num_seed_steps)", DefaultValueFactory = _ => pebbleDefaults.SeedSteps };
        var unsup = new Option<int>("--unsup-steps") { Description = "steps of state-entropy pre-training (num_unsup_steps)", DefaultValueFactory = _ => pebbleDefaults.UnsupervisedSteps };
        var resetUpdates = new Option<int>("--reset-updates") { Description = "updates on fresh critics when the first learned reward takes over (reset_update; 0 keeps the pre-trained critics)", DefaultValueFactory = _ => pebbleDefaults.ResetUpdates };
        var sampling = new Option<string>("--sampling") { Description = "query selection: uniform, disagreement, entropy", DefaultValueFactory = _ => "disagreement" };
        var segment = new Option<int>("--segment") { Description = "steps per segment", DefaultValueFactory = _ => pebbleDefaults.SegmentLength };
        var rewardEpochs = new Option<int>("--reward-epochs") { Description = "reward-model epochs per session at most (reward_update)", DefaultValueFactory = _ => pebbleDefaults.RewardModel.MaxEpochs };
        var rewardHidden = new Option<int>("--reward-hidden") { Description = "reward-model hidden units", DefaultValueFactory = _ => pebbleDefaults.RewardModel.Hidden };
        var stateOnly = new Option<bool>("--state-only") { Description = "reward model of the state alone, r(s), instead of r(s, a)" };
        var hidden = new Option<int>("--hidden") { Description = "SAC hidden units", DefaultValueFactory = _ => sacDefaults.Hidden };
        var batch = new Option<int>("--batch") { Description = "SAC minibatch", DefaultValueFactory = _ => sacDefaults.BatchSize };
        var evalEvery = new Option<long>("--eval-every") { Description = "evaluate every N steps (0 = only at the end)", DefaultValueFactory = _ => 10_000 };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "episodes per evaluation", DefaultValueFactory = _ => 10 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "run directory (default: runs/{task}__pebble__{seed}__{time})" };
        var noVideo = new Option<bool>("--no-video") { Description = "skip the final evaluation video" };
        var finalPolicy = new Option<string>("--final-policy") { Description = "last | best: which policy the final evaluation and video are of (best.ckpt is kept either way)", DefaultValueFactory = _ => "last" };
        finalPolicy.AcceptOnlyFromAmong("last", "best");
        var command = new Command("pebble", "SAC from a scripted teacher's preferences with PEBBLE (unsupervised pre-training, scheduled queries, relabelling)")
        {
            task, teacher, seed, steps, budget, queries, every, seedSteps, unsup, resetUpdates, sampling, segment, rewardEpochs, rewardHidden, stateOnly, hidden, batch,
            evalEvery, evalEpisodes, output, noVideo, finalPolicy,
        };
        command.SetAction(parse =>
        {
            var request = new PebbleRequest
            {
                Task = parse.GetValue(task)!, Teacher = parse.GetValue(teacher)!, Seed = parse.GetValue(seed), Out = parse.GetValue(output)?.FullName,
                Run = new SacRunSettings(parse.GetValue(evalEvery), parse.GetValue(evalEpisodes), Video: !parse.GetValue(noVideo),
                                         FinalPolicyBest: parse.GetValue(finalPolicy) == "best"),
                Sac = sacDefaults with { TotalSteps = parse.GetValue(steps), Hidden = parse.GetValue(hidden), BatchSize = parse.GetValue(batch) },
                Pebble = pebbleDefaults with
                {
                    MaxFeedback = parse.GetValue(budget), QueriesPerSession = parse.GetValue(queries), QueryEvery = parse.GetValue(every),
                    SeedSteps = parse.GetValue(seedSteps), UnsupervisedSteps = parse.GetValue(unsup), SegmentLength = parse.GetValue(segment),
                    ResetUpdates = parse.GetValue(resetUpdates),
                    Sampling = PrefsCommand.ParseSampling(parse.GetValue(sampling)!),
                    RewardModel = pebbleDefaults.RewardModel with { MaxEpochs = parse.GetValue(rewardEpochs), Hidden = parse.GetValue(rewardHidden), StateOnly = parse.GetValue(stateOnly) },
                },
            };
            var (summary, runDir, learner) = PrefsTraining.LaunchPebble(request);
            using (learner) JsonOutput.PrintLine(PrefsTraining.Describe(summary, runDir, learner));
            return 0;
        });
        return command;
    }
}
