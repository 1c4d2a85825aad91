using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;

namespace Robotics.Deploy.Bundles;

/// <summary>Where one observation number comes from on a robot.</summary>
public enum ObservationSource
{
    /// <summary>The arm's own sensors: end-effector position, gripper width.</summary>
    Arm,
    Object,
    Object2,
    Goal,
    /// <summary>A number the task leaves at zero in training (e.g. the object fields of reach): always written as 0.</summary>
    Unused,
}

/// <summary>One named number of a policy's observation and its source.</summary>
public sealed record ObservationEntry(string Name, ObservationSource Source);

/// <summary>
/// The names and sources of FrankaEnv's 39 observation numbers (the layout documented on <see cref="FrankaEnv"/>):
/// an 18-number frame [hand xyz, gripper 0–1, object xyz + quaternion (w,x,y,z), object-2 xyz + quaternion], the
/// same frame from the previous control step ("previous.*"), and the goal. A bundle stores the layout so that the
/// robot side rebuilds exactly what the policy saw in training, and so that a robot which cannot perceive a source
/// the layout needs is refused before anything moves.
/// </summary>
public static class ObservationLayout
{
    public const int FrameSize = 18;
    public const string PreviousPrefix = "previous.";

    private static readonly (string Name, PerceptionItems Item)[] Frame =
    [
        ("hand.x", PerceptionItems.None), ("hand.y", PerceptionItems.None), ("hand.z", PerceptionItems.None), ("gripper", PerceptionItems.None),
        ("object.x", PerceptionItems.Object), ("object.y", PerceptionItems.Object), ("object.z", PerceptionItems.Object),
        ("object.qw", PerceptionItems.Object), ("object.qx", PerceptionItems.Object), ("object.qy", PerceptionItems.Object), ("object.qz", PerceptionItems.Object),
        ("object2.x", PerceptionItems.Object2), ("object2.y", PerceptionItems.Object2), ("object2.z", PerceptionItems.Object2),
        ("object2.qw", PerceptionItems.Object2), ("object2.qx", PerceptionItems.Object2), ("object2.qy", PerceptionItems.Object2), ("object2.qz", PerceptionItems.Object2),
    ];

    /// <summary>
    /// What each task's state view fills (the rest is zero), from the tasks' StateDescription texts; a test checks it
    /// against the envs. Articulation is in the state view of the fixture tasks but not in the 39 numbers, so only
    /// consumers of the state view (scripted experts, success tests) need it.
    /// </summary>
    private static readonly Dictionary<string, PerceptionItems> StateViews = new()
    {
        ["reach"] = PerceptionItems.Goal,
        ["push"] = PerceptionItems.Object | PerceptionItems.Goal,
        ["pick-place"] = PerceptionItems.Object | PerceptionItems.Goal,
        ["peg-insert-side"] = PerceptionItems.Object | PerceptionItems.Object2 | PerceptionItems.Goal,
        ["drawer-open"] = Fixture, ["drawer-close"] = Fixture, ["button-press-topdown"] = Fixture,
        ["door-open"] = Fixture, ["window-open"] = Fixture, ["window-close"] = Fixture,
    };

    private const PerceptionItems Fixture = PerceptionItems.Object | PerceptionItems.Object2 | PerceptionItems.Goal | PerceptionItems.Articulation;

    /// <summary>What the task's state view (FrankaState) holds beyond the arm: what an expert or a success test reads.</summary>
    public static PerceptionItems StateViewOf(string task)
    {
        FrankaSuite.CreateTask(task); // unknown names fail here, listing the known ones
        return StateViews.TryGetValue(task, out var items) ? items
            : throw new ArgumentException($"task '{task}' has no perception entry in ObservationLayout; add one from its StateDescription");
    }

    /// <summary>The 39-entry layout of <paramref name="task"/>'s observation.</summary>
    public static IReadOnlyList<ObservationEntry> ForTask(string task)
    {
        var used = StateViewOf(task);
        var entries = new List<ObservationEntry>(FrankaEnv.ObservationSize);
        foreach (var prefix in new[] { "", PreviousPrefix })
            foreach (var (name, item) in Frame)
                entries.Add(new ObservationEntry(prefix + name, SourceOf(item, used)));
        foreach (var axis in new[] { "x", "y", "z" }) entries.Add(new ObservationEntry($"goal.{axis}", ObservationSource.Goal));
        return entries;
    }

    /// <summary>The perception a layout needs from the robot.</summary>
    public static PerceptionItems Needs(IEnumerable<ObservationEntry> layout)
    {
        var needed = PerceptionItems.None;
        foreach (var e in layout)
            needed |= e.Source switch
            {
                ObservationSource.Object => PerceptionItems.Object,
                ObservationSource.Object2 => PerceptionItems.Object2,
                ObservationSource.Goal => PerceptionItems.Goal,
                _ => PerceptionItems.None,
            };
        return needed;
    }

    /// <summary>Lower-case names of the set bits ("object", "goal"), as manifests and messages print them.</summary>
    public static IReadOnlyList<string> Names(PerceptionItems items) =>
        Enum.GetValues<PerceptionItems>().Where(i => i != PerceptionItems.None && (items & i) != 0).Select(i => i.ToString().ToLowerInvariant()).ToList();

    public static PerceptionItems Parse(IEnumerable<string> names)
    {
        var items = PerceptionItems.None;
        foreach (var name in names)
            items |= Enum.TryParse<PerceptionItems>(name, ignoreCase: true, out var item) && item != PerceptionItems.None ? item
                : throw new InvalidDataException($"unknown perception item '{name}'");
        return items;
    }

    private static ObservationSource SourceOf(PerceptionItems item, PerceptionItems used) => item switch
    {
        PerceptionItems.None => ObservationSource.Arm,
        _ when (used & item) == 0 => ObservationSource.Unused,
        PerceptionItems.Object => ObservationSource.Object,
        PerceptionItems.Object2 => ObservationSource.Object2,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, null),
    };
}
