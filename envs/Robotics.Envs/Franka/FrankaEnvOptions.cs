namespace Robotics.Envs.Franka;

public enum ControlMode
{
    /// <summary>Meta-World's 4 numbers: end-effector displacement (x, y, z; ≤ 1 cm a step) and gripper (+1 closes).</summary>
    EndEffector,
    /// <summary>8 numbers: joint-position deltas (≤ 0.05 rad a step) for the 7 joints, then the gripper.</summary>
    JointDelta,
}

public enum RewardType
{
    /// <summary>The task's Meta-World v2-style shaped reward, 0–10.</summary>
    Dense,
    /// <summary>1 on a step where the task is solved, else 0.</summary>
    Sparse,
}

/// <summary>How a Franka env is built. Timing defaults are Meta-World's: 2.5 ms physics, frame skip 5, 500 steps.</summary>
public sealed record FrankaEnvOptions
{
    public ControlMode Control { get; init; } = ControlMode.EndEffector;
    public RewardType Reward { get; init; } = RewardType.Dense;
    public int FrameSkip { get; init; } = 5;
    public int MaxEpisodeSteps { get; init; } = 500;
    public int RenderWidth { get; init; } = 224;
    public int RenderHeight { get; init; } = 224;
    public string Camera { get; init; } = "front";

    public static FrankaEnvOptions Default { get; } = new();
}
