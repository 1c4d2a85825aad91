namespace Robotics.Rewards.Programs;

/// <summary>
/// Reward programs that compute exactly what a task's hand-written reward computes, embedded as sources. They measure
/// what the sandbox costs per step (`robo bench reward`) and, compared value for value against the task, show that
/// a program written against the state view can express the hand-written rewards.
/// </summary>
public static class HandWrittenEquivalents
{
    public static IReadOnlyList<string> Tasks { get; } = ["reach", "push"];

    public static string Source(string task)
    {
        var name = $"Robotics.Rewards.Equivalents.{task}.cs";
        using var stream = typeof(HandWrittenEquivalents).Assembly.GetManifestResourceStream(name)
                           ?? throw new ArgumentException($"no program equivalent to the hand-written reward of '{task}'; there are: {string.Join(", ", Tasks)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
