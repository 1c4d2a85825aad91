// Diagnostic reward for push: only bringing the fingertip centre to the puck's centre pays (10 at the puck, as reach
// pays at its goal). With it SAC gets the fingers to the puck within 60k steps; with push's own reward the reach
// term stays near 0.25 for 270k steps (docs/results.md, "SAC on push").
using System;
using System.Numerics;
using Robotics.Envs.Tasks;

public static class RewardProgram
{
    public static double Compute(in FrankaState state, ReadOnlySpan<float> action)
    {
        double handToPuck = Vector3.Distance(state.Hand, state.Object);
        return 10.0 * (1.0 - Math.Tanh(10.0 * handToPuck));
    }
}
