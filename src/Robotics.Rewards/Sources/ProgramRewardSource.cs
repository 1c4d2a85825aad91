using Robotics.Envs.Tasks;
using Robotics.Rewards.Sandbox;

namespace Robotics.Rewards.Sources;

/// <summary>
/// A compiled reward program as a reward source. A call that fails (limit, exception, NaN or ∞) is recorded in the
/// error log and labelled with <see cref="SafeReward"/> instead, with component "program_error" = 1, so training
/// carries on and the failure can be read afterwards. The program is shared, not owned: one compiled program serves
/// every env copy.
/// </summary>
public sealed class ProgramRewardSource(CompiledProgram program, RewardErrorLog? errors = null, double safeReward = 0) : IRewardSource
{
    public const string ErrorComponent = "program_error";

    public CompiledProgram Program { get; } = program;
    public RewardErrorLog? Errors { get; } = errors;
    public double SafeReward { get; } = double.IsFinite(safeReward) ? safeReward : throw new ArgumentException($"the safe reward must be finite, got {safeReward}");
    public string Name => "program";

    public RewardLabel Label(in FrankaState state, ReadOnlySpan<float> action)
    {
        var result = Program.Evaluate(state, action);
        if (result.Failure is { } failure)
        {
            Errors?.Record(failure);
            return new RewardLabel(SafeReward, [(Name, SafeReward), (ErrorComponent, 1)]);
        }
        return new RewardLabel(result.Value, [(Name, result.Value)]);
    }
}
