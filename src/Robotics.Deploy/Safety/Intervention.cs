namespace Robotics.Deploy.Safety;

/// <summary>Why the safety layer changed or replaced what the policy asked for.</summary>
public enum InterventionKind
{
    /// <summary>The action held NaN or ±∞: replaced by a hold.</summary>
    NonFiniteAction,
    /// <summary>An action number outside [-1, 1]: clipped to the box the policy was trained in.</summary>
    ActionClipped,
    /// <summary>An action number changed by more than the per-step limit: limited.</summary>
    RateLimited,
    /// <summary>The end-effector target would leave the workspace box: clamped or scaled back.</summary>
    Workspace,
    /// <summary>The end-effector would move faster than its limit: scaled down.</summary>
    EndEffectorSpeed,
    /// <summary>The end-effector velocity would change faster than its limit: limited.</summary>
    EndEffectorAcceleration,
    /// <summary>A joint would pass its position limit (less the margin): clamped or scaled back.</summary>
    JointPositionLimit,
    /// <summary>A joint would move faster than its velocity limit: scaled down.</summary>
    JointVelocityLimit,
    /// <summary>No state fresh enough to act on: hold.</summary>
    StaleState,
    /// <summary>The state is malformed (non-finite numbers, wrong shapes): hold.</summary>
    BadState,
    /// <summary>The policy did not answer within its deadline: hold.</summary>
    PolicyTimeout,
    /// <summary>The policy threw: hold.</summary>
    PolicyError,
    /// <summary>Fresh state or policy output was missing for longer than the stop deadline: stop.</summary>
    WatchdogStop,
    /// <summary>The operator asked to stop: stop.</summary>
    OperatorStop,
    /// <summary>The connection to the robot is gone: stop (the robot's own watchdog holds the arm).</summary>
    ConnectionLost,
}

/// <summary>One intervention: when, what kind, and a sentence with the numbers involved.</summary>
public sealed record Intervention(int Episode, int Step, double TimeSeconds, InterventionKind Kind, string Reason)
{
    /// <summary>snake_case name as logs and summaries print it ("non_finite_action").</summary>
    public string KindName => Name(Kind);

    public static string Name(InterventionKind kind)
    {
        var s = kind.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }
}

/// <summary>Every intervention of a run, counted by kind, and handed to a listener (the deploy log) as it happens.</summary>
public sealed class InterventionLog
{
    private readonly List<Intervention> _all = new();
    private readonly Dictionary<InterventionKind, int> _counts = new();

    public event Action<Intervention>? Recorded;

    public IReadOnlyList<Intervention> All => _all;
    public int Count => _all.Count;

    public void Record(Intervention intervention)
    {
        _all.Add(intervention);
        _counts[intervention.Kind] = _counts.GetValueOrDefault(intervention.Kind) + 1;
        Recorded?.Invoke(intervention);
    }

    public int CountOf(InterventionKind kind) => _counts.GetValueOrDefault(kind);

    /// <summary>Counts by snake_case kind name, only kinds that happened, in enum order.</summary>
    public IReadOnlyDictionary<string, int> ByKind() =>
        Enum.GetValues<InterventionKind>().Where(k => _counts.ContainsKey(k)).ToDictionary(Intervention.Name, k => _counts[k]);
}
