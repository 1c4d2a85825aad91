using Robotics.Rewards.Preferences.Data;

namespace Robotics.Rewards.Preferences.Teachers;

/// <summary>Answers preference queries: a scripted teacher with a ground-truth reward, or a person at a web page.</summary>
public interface IPreferenceTeacher
{
    Preference[] Label(IReadOnlyList<(Segment A, Segment B)> pairs);
}
