using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Robotics.Deploy.Robots;
using Robotics.Deploy.Safety;

namespace Robotics.Deploy.Control;

/// <summary>One control step as logged: what was seen, what the policy asked, what was sent, and what intervened.</summary>
public sealed record StepRecord(
    int Episode, int Step, double TimeSeconds,
    uint? StateSequence, double? StateAgeMs, RobotState? State,
    float[]? Action, RobotCommand Command, uint? SentAs, bool? Success, IReadOnlyList<InterventionKind> Interventions);

/// <summary>
/// The deployment log: JSON lines, one object per event ("start", "episode", "step", "intervention", "episode_end",
/// "summary"), so a run can be replayed and every intervention traced to its step. Non-finite numbers (a policy's NaN)
/// are written as the strings "NaN", "Infinity", "-Infinity", since JSON has no such numbers.
/// </summary>
public sealed class DeployLog : IDisposable
{
    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();
    private readonly MemoryStream _line = new();

    public string Path { get; }

    public DeployLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _writer = new StreamWriter(Path, append: false, new UTF8Encoding(false));
    }

    /// <summary>Logs each intervention of <paramref name="log"/> as it is recorded.</summary>
    public void Attach(InterventionLog log) => log.Recorded += Intervention;

    public void Start(string policy, string task, RobotCapabilities robot, DeployOptions options, Vector3 workspaceLow, Vector3 workspaceHigh) => Write(w =>
    {
        w.WriteString("type", "start");
        w.WriteString("policy", policy);
        w.WriteString("task", task);
        w.WriteString("robot", robot.RobotName);
        w.WriteNumber("rate_hz", options.RateHz);
        w.WriteNumber("duration_s", options.DurationSeconds);
        w.WriteNumber("episodes", options.Episodes);
        Vector(w, "workspace_low", workspaceLow);
        Vector(w, "workspace_high", workspaceHigh);
        w.WriteNumber("max_ee_speed", options.Limits.MaxEndEffectorSpeed);
        w.WriteNumber("max_ee_acceleration", options.Limits.MaxEndEffectorAcceleration);
        w.WriteNumber("max_action_change", options.Limits.MaxActionChange);
        w.WriteNumber("joint_margin", options.Limits.JointPositionMargin);
        w.WriteNumber("joint_velocity_fraction", options.Limits.JointVelocityFraction);
        w.WriteNumber("state_deadline_ms", options.Watchdog.StateDeadlineMs);
        w.WriteNumber("stop_after_ms", options.Watchdog.StopAfterMs);
    });

    public void Step(StepRecord r) => Write(w =>
    {
        w.WriteString("type", "step");
        w.WriteNumber("episode", r.Episode);
        w.WriteNumber("step", r.Step);
        w.WriteNumber("t", Math.Round(r.TimeSeconds, 4));
        if (r.StateSequence is uint seq) w.WriteNumber("state_seq", seq);
        if (r.StateAgeMs is double age) w.WriteNumber("state_age_ms", Math.Round(age, 2));
        if (r.State is { } s)
        {
            Vector(w, "ee", s.EndEffectorPosition);
            Vector(w, "ee_commanded", s.CommandedEndEffectorPosition);
            w.WriteStartArray("q");
            foreach (var q in s.JointPositions) Number(w, q);
            w.WriteEndArray();
            w.WriteNumber("gripper_width", s.GripperWidth);
            if ((s.Perception.Available & PerceptionItems.Goal) != 0) Vector(w, "goal", s.Perception.Goal);
        }
        if (r.Action is { } a)
        {
            w.WriteStartArray("action");
            foreach (var x in a) Number(w, x);
            w.WriteEndArray();
        }
        w.WriteStartObject("command");
        w.WriteString("kind", RobotCommand.Name(r.Command.Kind));
        if (r.Command.Kind == CommandKind.EndEffectorDelta) Vector(w, "ee_delta", r.Command.EndEffectorDelta);
        if (r.Command.Kind == CommandKind.JointTargets)
        {
            w.WriteStartArray("joint_targets");
            foreach (var q in r.Command.JointTargets) Number(w, q);
            w.WriteEndArray();
        }
        if (r.Command.IsMotion) w.WriteNumber("gripper_width", r.Command.GripperWidth);
        w.WriteEndObject();
        if (r.SentAs is uint sent) w.WriteNumber("sent_seq", sent);
        else w.WriteBoolean("sent", false);
        if (r.Success is bool ok) w.WriteBoolean("success", ok);
        w.WriteStartArray("interventions");
        foreach (var k in r.Interventions) w.WriteStringValue(Safety.Intervention.Name(k));
        w.WriteEndArray();
    });

    public void Intervention(Intervention i) => Write(w =>
    {
        w.WriteString("type", "intervention");
        w.WriteNumber("episode", i.Episode);
        w.WriteNumber("step", i.Step);
        w.WriteNumber("t", Math.Round(i.TimeSeconds, 4));
        w.WriteString("kind", i.KindName);
        w.WriteString("reason", i.Reason);
    });

    public void Episode(int episode, int? seed, uint robotEpisode) => Write(w =>
    {
        w.WriteString("type", "episode");
        w.WriteNumber("episode", episode);
        if (seed is int s) w.WriteNumber("seed", s);
        w.WriteNumber("robot_episode", robotEpisode);
    });

    public void EpisodeEnd(EpisodeResult result) => WriteObject("episode_end", result);

    public void Summary(DeploySummary summary) => WriteObject("summary", summary);

    private void WriteObject(string type, object value)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), SummaryJson));
        Write(w =>
        {
            w.WriteString("type", type);
            foreach (var p in doc.RootElement.EnumerateObject()) p.WriteTo(w);
        });
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        lock (_lock)
        {
            _line.SetLength(0);
            using (var w = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            _writer.WriteLine(Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length));
        }
    }

    public void Flush()
    {
        lock (_lock) _writer.Flush();
    }

    private static void Vector(Utf8JsonWriter w, string name, Vector3 v)
    {
        w.WriteStartArray(name);
        Number(w, v.X);
        Number(w, v.Y);
        Number(w, v.Z);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, float x)
    {
        if (float.IsFinite(x)) w.WriteNumberValue(x);
        else w.WriteStringValue(float.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
    }

    public void Dispose()
    {
        lock (_lock) _writer.Dispose();
    }
}
