namespace Robotics.Core.Vector;

/// <summary>
/// How a vector env restarts finished episodes (Gymnasium 1.0's names). SameStep: the step that ends an episode
/// already returns the first observation of the next one, with the final observation in info (SB3's convention,
/// which off-policy algorithms here assume). Algorithms assert the mode they expect.
/// </summary>
public enum AutoresetMode { SameStep }
