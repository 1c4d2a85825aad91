using Robotics.Envs.Tasks;

namespace Robotics.Rewards.Sources;

/// <summary>
/// Σ wᵢ·rᵢ over several sources (e.g. a generated program plus a small share of the task's reward, or a VLM reward
/// plus a control penalty). Each source's unweighted reward is a component named after it, and its own components
/// follow as "&lt;source&gt;/&lt;component&gt;", so every term can be read separately in the metrics.
/// </summary>
public sealed class WeightedSum : IRewardSource
{
    private readonly (IRewardSource Source, double Weight)[] _terms;

    public WeightedSum(IEnumerable<(IRewardSource Source, double Weight)> terms, string name = "sum")
    {
        _terms = terms.ToArray();
        if (_terms.Length == 0) throw new ArgumentException("a weighted sum needs at least one source");
        foreach (var (source, weight) in _terms)
            if (!double.IsFinite(weight)) throw new ArgumentException($"weight of source '{source.Name}' is {weight}; weights must be finite");
        var duplicate = _terms.GroupBy(t => t.Source.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two sources are named '{duplicate.Key}'; their components would collide");
        Name = name;
    }

    public string Name { get; }
    public IReadOnlyList<(IRewardSource Source, double Weight)> Terms => _terms;

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        double total = 0;
        var components = new List<(string, double)>(_terms.Length * 4);
        foreach (var (source, weight) in _terms)
        {
            var label = source.Label(state, action);
            total += weight * label.Reward;
            Append(components, source.Name, label);
        }
        return new RewardLabel(total, components.ToArray());
    }

    public RewardLabel[] LabelBatch(IReadOnlyList<RewardTransition> batch)
    {
        var totals = new double[batch.Count];
        var components = new List<(string, double)>[batch.Count];
        for (int i = 0; i < components.Length; i++) components[i] = new List<(string, double)>();
        // Each source labels the whole batch at once, so batched sources keep their batching inside a sum.
        foreach (var (source, weight) in _terms)
        {
            var labels = source.LabelBatch(batch);
            for (int i = 0; i < labels.Length; i++)
            {
                totals[i] += weight * labels[i].Reward;
                Append(components[i], source.Name, labels[i]);
            }
        }
        var result = new RewardLabel[batch.Count];
        for (int i = 0; i < result.Length; i++) result[i] = new RewardLabel(totals[i], components[i].ToArray());
        return result;
    }

    private static void Append(List<(string, double)> components, string sourceName, RewardLabel label)
    {
        components.Add((sourceName, label.Reward));
        foreach (var (name, value) in label.Components)
            if (name != sourceName) components.Add(($"{sourceName}/{name}", value));
    }
}
