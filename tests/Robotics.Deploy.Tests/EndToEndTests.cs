using NUnit.Framework;
using Robotics.Agents;
using Robotics.Agents.Evaluation;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Control;
using Robotics.Deploy.Robots;
using Robotics.Envs;

namespace Robotics.Deploy.Tests;

/// <summary>Whole chain over loopback TCP: policy → shield → protocol → simulated bridge → MuJoCo, and back.</summary>
public class EndToEndTests
{
    private string _dir = null!;

    [OneTimeSetUp]
    public void Directory() => _dir = TempDirectory.Create("e2e");

    [Test]
    public void ReachExpertSolvesTheTaskThroughTheBridge()
    {
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var expert = new ExpertDeployPolicy("reach");
        var (summary, log) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 3, Seed = 7 }, _dir);
        Assert.That(summary.Success, Is.True);
        Assert.That(summary.SuccessSource, Is.EqualTo("robot"));
        Assert.That(summary.Steps, Is.EqualTo(60));
        Assert.That(summary.EpisodeResults[0].StepsToSuccess, Is.LessThan(50));
        // Nothing in a nominal run should trip the motion limits.
        Assert.That(summary.Interventions.Keys, Has.None.AnyOf("workspace", "end_effector_speed", "joint_position_limit", "joint_velocity_limit", "non_finite_action"));
        Assert.That(summary.StoppedBy, Is.Null);
        Assert.That(log.Steps, Has.Count.EqualTo(60));
        Assert.That(log.OfType("summary").Single().GetProperty("success").GetBoolean(), Is.True);
        Assert.That(bridge.Statistics.CommandsApplied, Is.GreaterThan(50));
        Assert.That(bridge.Statistics.CommandsRejected, Is.Zero);
    }

    [Test]
    public void TrainedPolicyReachesTheGoalAsOftenAsInSimulation()
    {
        var bundlePath = Path.Combine(_dir, "reach-bc.robo");
        PolicyBundle.Export(ReachBc.Checkpoint, bundlePath);
        const int episodes = 6;
        // The same policy and seeds evaluated in plain simulation (80 Hz, 500 steps), as `robo eval` would.
        using var loaded = PolicyLoader.Load(ReachBc.Checkpoint);
        using var env = FrankaSuite.Make("reach");
        var simulated = Evaluator.Evaluate(env, loaded.Policy, episodes, ReachBc.EvaluationSeed);

        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var policy = new BundlePolicy(PolicyBundle.Load(bundlePath));
        var (summary, _) = Loopback.Deploy(robot, policy, new DeployOptions
        {
            RateHz = 20, DurationSeconds = 5, Episodes = episodes, Seed = ReachBc.EvaluationSeed, StopOnSuccess = true,
        }, _dir);
        TestContext.Progress.WriteLine($"reach BC (trained in {ReachBc.TrainingSeconds:0.0} s): simulation {simulated.SuccessRate:P0} on these seeds, " +
                                       $"{ReachBc.SimulationSuccessRate:P0} in training's final evaluation; deployed at 20 Hz through the bridge {summary.SuccessRate:P0}, " +
                                       $"mean steps to success {summary.EpisodeResults.Where(r => r.Success).Select(r => r.StepsToSuccess!.Value).DefaultIfEmpty().Average():0.0}, " +
                                       $"interventions {string.Join(", ", summary.Interventions.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.That(simulated.SuccessRate, Is.GreaterThanOrEqualTo(0.8), "the test's policy must be a competent one");
        Assert.That(summary.SuccessRate, Is.GreaterThanOrEqualTo(simulated.SuccessRate - 1.0 / episodes),
                    "deployment may lose at most one episode against simulation");
        Assert.That(summary.Interventions.Keys, Has.None.AnyOf("workspace", "joint_position_limit", "joint_velocity_limit", "non_finite_action"));
    }

    [Test]
    public void JointTargetPoliciesDriveTheArmWithinItsLimits()
    {
        var bundlePath = Path.Combine(_dir, "reach-joint.robo");
        PolicyBundle.Export(BundleTests.BcCheckpoint(_dir, "reach", Envs.Franka.ControlMode.JointDelta, seed: 9), bundlePath);
        using var bridge = Loopback.StartBridge();
        using var robot = Loopback.Connect(bridge);
        using var policy = new BundlePolicy(PolicyBundle.Load(bundlePath));
        var (summary, log) = Loopback.Deploy(robot, policy, new DeployOptions { RateHz = 20, DurationSeconds = 1.5, Seed = 1 }, _dir);
        Assert.That(summary.StoppedBy, Is.Null);
        var caps = bridge.Capabilities;
        var motions = log.Steps.Where(s => DeployLogLines.Command(s) == "joint_targets").ToList();
        Assert.That(motions, Has.Count.GreaterThan(20));
        foreach (var step in motions)
        {
            var targets = step.GetProperty("command").GetProperty("joint_targets").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var q = step.GetProperty("q").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            for (int i = 0; i < 7; i++)
            {
                Assert.That(targets[i], Is.InRange(caps.JointLower[i] + 0.05f - 1e-5f, caps.JointUpper[i] - 0.05f + 1e-5f));
                Assert.That(Math.Abs(targets[i] - q[i]) / 0.05, Is.LessThanOrEqualTo(caps.JointVelocityLimits[i] * 0.8 + 1e-3));
            }
        }
        Assert.That(bridge.Statistics.CommandsRejected, Is.Zero);
        Assert.That(bridge.Statistics.CommandsApplied, Is.GreaterThan(20));
    }

    [Test]
    public void DegradedLinkStillWorksAndReorderedStatesAreDiscarded()
    {
        // 20 ms latency with 20 ms jitter reorders states sent 12.5 ms apart; 5% loss; 2 mm sensor noise.
        using var bridge = Loopback.StartBridge(link: new LinkImpairments(20, 20, 0.05), noise: 0.002, seed: 3);
        using var robot = Loopback.Connect(bridge);
        using var expert = new ExpertDeployPolicy("reach");
        var (summary, _) = Loopback.Deploy(robot, expert, new DeployOptions { RateHz = 20, DurationSeconds = 4, Seed = 11, StopOnSuccess = true }, _dir);
        Assert.That(summary.Success, Is.True, $"interventions: {string.Join(", ", summary.Interventions)}");
        Assert.That(robot.Statistics.OutOfOrder, Is.GreaterThan(0), "jitter larger than the state spacing must reorder some states");
        Assert.That(bridge.Statistics.MessagesDropped, Is.GreaterThan(0));
        Assert.That(robot.RoundTripMs, Is.GreaterThan(40));
    }
}
