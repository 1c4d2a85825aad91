using System.CommandLine;
using Robotics.Core.Seeding;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Rewards.Preferences.Collection;
using Robotics.Rewards.Preferences.Models;
using Robotics.Rewards.Sources;

namespace Robotics.Cli.Commands;

/// <summary>
/// `robo prefs inspect --model M --task T`: a saved reward model (a PEBBLE run's reward/model.safetensors) along the
/// scripted expert's episodes. Prints, as JSON on the last line, how much it pays for doing the task (state_gain,
/// end_gain for the final approach) against how much for the action alone (action_spread, action_spread_at_end), and
/// its correlation with the task's reward. An action spread at the end above the end gain means a policy is paid more
/// for holding still than for the last centimetres.
/// </summary>
public static class PrefsInspectCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "reward model file (.safetensors, as PEBBLE runs save it)", Required = true };
        var task = new Option<string>("--task") { Description = "task whose expert drives the episodes and whose reward is the truth", Required = true };
        var episodes = new Option<int>("--episodes") { Description = "expert episodes", DefaultValueFactory = _ => 20 };
        var steps = new Option<int>("--episode-steps") { Description = "steps per episode", DefaultValueFactory = _ => 200 };
        var window = new Option<int>("--window") { Description = "steps averaged at the start and at the end of each episode", DefaultValueFactory = _ => 25 };
        var actions = new Option<int>("--random-actions") { Description = "random actions tried at each step", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "seed of the first episode and of the random actions", DefaultValueFactory = _ => 0 };
        var command = new Command("inspect", "how much a learned reward pays for the task against for the action alone, along expert episodes")
        {
            model, task, episodes, steps, window, actions, seed,
        };
        command.SetAction(parse =>
        {
            var taskName = parse.GetValue(task)!;
            using var env = new FrankaEnv(FrankaSuite.CreateTask(taskName));
            using var learned = RewardEnsemble.Open(parse.GetValue(model)!.FullName, env.ActionSpace.Dimension);
            var rng = new Rng(parse.GetValue(seed));
            var expertEpisodes = new TrajectoryCollector(env).Collect([new BehaviourPolicy("expert")], parse.GetValue(episodes), parse.GetValue(seed),
                                                                       parse.GetValue(steps), rng);
            var result = RewardInspection.Inspect(learned, new TaskRewardSource(env.Task), expertEpisodes, parse.GetValue(window), parse.GetValue(actions), rng);
            JsonOutput.PrintLine(new
            {
                model = parse.GetValue(model)!.FullName, task = taskName, state_only = learned.Config.StateOnly, episodes = result.Episodes, steps = result.Steps,
                state_gain = PrefsCommand.Round(result.StateGain), end_gain = PrefsCommand.Round(result.EndGain),
                action_spread = PrefsCommand.Round(result.ActionSpread), action_spread_at_end = PrefsCommand.Round(result.ActionSpreadAtEnd),
                true_correlation = PrefsCommand.Round(result.TrueCorrelation),
            });
            return 0;
        });
        return command;
    }
}
