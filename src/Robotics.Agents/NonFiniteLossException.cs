namespace Robotics.Agents;

/// <summary>A loss became NaN or infinite; the update that produced it was not applied.</summary>
public sealed class NonFiniteLossException(string loss, long step, double value, string? lastGoodCheckpoint = null)
    : Exception($"{loss} became {value} at step {step} (env steps online, gradient steps offline); training stopped" +
                (lastGoodCheckpoint is null ? "" : $" (the last good state is saved in {lastGoodCheckpoint})"))
{
    public string Loss { get; } = loss;
    public long Step { get; } = step;
    public double Value { get; } = value;
    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;

    public NonFiniteLossException WithCheckpoint(string path) => new(Loss, Step, Value, path);

    /// <summary>Throws when <paramref name="value"/> (a loss just computed, not yet applied) is NaN or ±∞.</summary>
    public static void ThrowIfNotFinite(string loss, double value, long step)
    {
        if (!double.IsFinite(value)) throw new NonFiniteLossException(loss, step, value);
    }
}
