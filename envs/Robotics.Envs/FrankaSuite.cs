using Robotics.Core.Envs;
using Robotics.Core.Wrappers;
using Robotics.Envs.Franka;
using Robotics.Envs.Tasks;

namespace Robotics.Envs;

/// <summary>The task registry: names as in Meta-World's MT10, each mapped to its task class.</summary>
public static class FrankaSuite
{
    private static readonly Dictionary<string, Func<IFrankaTask>> Tasks = new()
    {
        ["reach"] = () => new ReachTask(),
        ["push"] = () => new PushTask(),
        ["pick-place"] = () => new PickPlaceTask(),
        ["drawer-open"] = () => new DrawerOpenTask(),
        ["drawer-close"] = () => new DrawerCloseTask(),
        ["button-press-topdown"] = () => new ButtonPressTopdownTask(),
        ["door-open"] = () => new DoorOpenTask(),
        ["window-open"] = () => new WindowOpenTask(),
        ["window-close"] = () => new WindowCloseTask(),
        ["peg-insert-side"] = () => new PegInsertSideTask(),
    };

    public static IReadOnlyCollection<string> Names => Tasks.Keys;

    /// <summary>Tasks whose goal is a point the hand or puck should reach: the ones hindsight relabelling (HER) works on.</summary>
    public static IReadOnlyList<string> GoalTasks { get; } = Tasks.Where(t => t.Value() is IGoalTask).Select(t => t.Key).ToArray();

    public static IFrankaTask CreateTask(string name) =>
        Tasks.TryGetValue(name, out var make) ? make()
        : throw new ArgumentException($"unknown task '{name}'; known tasks: {string.Join(", ", Tasks.Keys)}");

    /// <summary>The env as training uses it: the task, truncated at the episode limit (500 steps by default).</summary>
    public static IEnv Make(string name, FrankaEnvOptions? options = null)
    {
        options ??= FrankaEnvOptions.Default;
        return new TimeLimit(new FrankaEnv(CreateTask(name), options), options.MaxEpisodeSteps);
    }
}
