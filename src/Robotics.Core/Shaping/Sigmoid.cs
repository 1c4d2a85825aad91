namespace Robotics.Core.Shaping;

/// <summary>The shapes dm_control's tolerance can fall off with outside its bounds.</summary>
public enum Sigmoid { Gaussian, Hyperbolic, LongTail, Reciprocal, Cosine, Linear, Quadratic, TanhSquared }
