namespace Robotics.Rewards.Preferences.Models;

/// <summary>How the ensemble's members combine into the reward an agent sees (PEARL's robust aggregations).</summary>
public enum EnsembleAggregation
{
    /// <summary>The members' mean (B-Pref, PEBBLE).</summary>
    Mean,
    /// <summary>The lowest member: a reward no member thinks is too high (PEARL, worst-case).</summary>
    WorstCase,
    /// <summary>mean − λ·std over members: uncertain rewards are discounted (PEARL, uncertainty-weighted).</summary>
    UncertaintyWeighted,
}

/// <summary>
/// The preference reward model's hyperparameters. Defaults are B-Pref's and PEBBLE's (Lee et al. 2021,
/// github.com/rll-research/BPref, config/train_PEBBLE.yaml and reward_model.py) unless noted.
/// </summary>
public sealed record RewardModelConfig
{
    public int EnsembleSize { get; init; } = 3;         // B-Pref ensemble_size
    public int Hidden { get; init; } = 256;             // B-Pref reward model: 3 hidden layers of 256 units, ReLU
    public int Layers { get; init; } = 3;
    public double LearningRate { get; init; } = 3e-4;   // B-Pref reward_lr
    public int BatchSize { get; init; } = 128;          // B-Pref reward_batch (pairs per gradient step)
    public int MaxEpochs { get; init; } = 200;          // PEBBLE reward_update: epochs per feedback session at most …
    public double StopAccuracy { get; init; } = 0.97;   // … stopping early once training accuracy exceeds 97%
    /// <summary>
    /// Not in B-Pref: the share of the labelled pairs held out to stop training when their loss stops improving
    /// (keeping the best epoch's weights). 0 keeps B-Pref's stop on training accuracy.
    /// </summary>
    public double ValidationFraction { get; init; }
    /// <summary>Epochs without a better validation loss before stopping.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>Standardise inputs with the mean and std of the first data the model is fit on (then kept fixed).</summary>
    public bool NormalizeInputs { get; init; } = true;
    public EnsembleAggregation Aggregation { get; init; } = EnsembleAggregation.Mean;
    /// <summary>λ in mean − λ·std (PEARL's uncertainty-weighted aggregation).</summary>
    public double UncertaintyWeight { get; init; } = 1.0;
    /// <summary>
    /// PEARL's robust reward learning: each member predicts a Gaussian reward (mean and log-variance heads); training
    /// samples rewards with the reparameterisation trick and adds <see cref="KlWeight"/>·KL(N(μ, σ²) ‖ N(0, 1)).
    /// </summary>
    public bool Gaussian { get; init; }
    /// <summary>
    /// Not B-Pref's r(s, a) but r(s): the action inputs are zeroed, so the model cannot credit how the arm moves. Where
    /// the teacher's reward ignores the action (reach), an r(s, a) model learned from segments still picked up that
    /// good segments move little (near the goal the policy holds still) and taught SAC to hold still short of it.
    /// </summary>
    public bool StateOnly { get; init; }
    public double KlWeight { get; init; } = 1e-3;

    public void Validate()
    {
        if (EnsembleSize < 1) throw new ArgumentException($"reward model: ensemble size must be at least 1, got {EnsembleSize}");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException($"reward model: hidden ({Hidden}) and layers ({Layers}) must be at least 1");
        if (!(LearningRate > 0)) throw new ArgumentException($"reward model: learning rate must be positive, got {LearningRate}");
        if (BatchSize < 1 || MaxEpochs < 1) throw new ArgumentException($"reward model: batch size ({BatchSize}) and epochs ({MaxEpochs}) must be at least 1");
        if (StopAccuracy is < 0 or > 1 || double.IsNaN(StopAccuracy)) throw new ArgumentException($"reward model: stop accuracy must be in [0, 1], got {StopAccuracy}");
        if (ValidationFraction is < 0 or >= 1 || double.IsNaN(ValidationFraction)) throw new ArgumentException($"reward model: validation fraction must be in [0, 1), got {ValidationFraction}");
        if (Patience < 1) throw new ArgumentException($"reward model: patience must be at least 1, got {Patience}");
        if (!(UncertaintyWeight >= 0)) throw new ArgumentException($"reward model: λ (uncertainty weight) must be >= 0, got {UncertaintyWeight}");
        if (!(KlWeight >= 0)) throw new ArgumentException($"reward model: KL weight must be >= 0, got {KlWeight}");
    }
}
