using NUnit.Framework;
using Robotics.Agents;
using Robotics.Agents.Buffers;
using Robotics.Agents.Checkpoints;
using Robotics.Agents.Iql;
using Robotics.Agents.Sac;
using Robotics.Core.Seeding;
using Robotics.Deploy.Bridge;
using Robotics.Deploy.Bundles;
using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Deploy.Tests;

public class BundleTests
{
    private string _dir = null!;

    [OneTimeSetUp]
    public void Directory() => _dir = TempDirectory.Create("bundles");

    /// <summary>A BC checkpoint with a non-trivial observation normaliser, so a bundle that lost it would act differently.</summary>
    internal static string BcCheckpoint(string directory, string task, ControlMode control = ControlMode.EndEffector, int seed = 1)
    {
        manual_seed(seed);
        var rng = new Rng(seed);
        var mean = Enumerable.Range(0, 39).Select(_ => (float)rng.Uniform(-0.5, 0.5)).ToArray();
        var std = Enumerable.Range(0, 39).Select(_ => (float)rng.Uniform(0.05, 0.5)).ToArray();
        int actions = control == ControlMode.EndEffector ? 4 : 8;
        using var agent = new BcAgent(39, actions, new BcConfig { Hidden = 32 }, new ObservationNormalizer(mean, std));
        using var writer = new CheckpointWriter(BcAgent.AlgorithmName);
        agent.Save(writer);
        writer.Set("task", task).Set("control", control.ToString()).Set("reward", "Dense").Set("gradient_steps", 0).Set("seed", seed);
        var path = Path.Combine(directory, $"{task}-{control}-{seed}.ckpt");
        writer.Save(path);
        return path;
    }

    private static List<float[]> Observations(string task, int count)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task));
        var rng = new Rng(5);
        var list = new List<float[]>();
        var obs = env.Reset(0).Observation;
        for (int i = 0; i < count; i++)
        {
            list.Add(obs);
            obs = env.Step([(float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1)]).Observation;
        }
        return list;
    }

    [Test]
    public void BundleReproducesTheCheckpointsActionsExactly()
    {
        var checkpoint = BcCheckpoint(_dir, "push");
        var path = Path.Combine(_dir, "push.robo");
        var manifest = PolicyBundle.Export(checkpoint, path);
        using var bundle = PolicyBundle.Load(path);
        using var original = PolicyLoader.Load(checkpoint);
        var a = new float[4];
        var b = new float[4];
        foreach (var obs in Observations("push", 40))
        {
            original.Policy.Act(obs, a, deterministic: true);
            bundle.Policy.Act(obs, b, deterministic: true);
            Assert.That(b, Is.EqualTo(a));
        }
        Assert.That(bundle.ProbeError, Is.EqualTo(0f), "same build, same numbers");
        Assert.That(manifest.Algorithm, Is.EqualTo("bc"));
        Assert.That(manifest.Task, Is.EqualTo("push"));
        Assert.That(manifest.ControlRateHz, Is.EqualTo(80).Within(1e-9), "2.5 ms physics × frame skip 5");
        Assert.That(manifest.ObservationLayout, Has.Count.EqualTo(39));
        Assert.That(manifest.ObservationLayout[0], Is.EqualTo(new ObservationEntry("hand.x", ObservationSource.Arm)));
        Assert.That(manifest.ObservationLayout[11], Is.EqualTo(new ObservationEntry("object2.x", ObservationSource.Unused)));
        Assert.That(manifest.ObservationLayout[22], Is.EqualTo(new ObservationEntry("previous.object.x", ObservationSource.Object)));
        Assert.That(manifest.ObservationLayout[38], Is.EqualTo(new ObservationEntry("goal.z", ObservationSource.Goal)));
        Assert.That(manifest.RequiredPerception, Is.EqualTo(new[] { "object", "goal" }));
        Assert.That(manifest.ActionScaling.Mode, Is.EqualTo(CommandMode.EndEffectorDelta));
        Assert.That(manifest.ActionScaling.EndEffectorMetresPerUnit, Is.EqualTo(0.01));
        Assert.That(manifest.ObservationNormalization, Does.Contain("obs_norm"));
        Assert.That(manifest.Training["hidden"], Is.EqualTo("32"));
        Assert.That(manifest.Training.Keys, Has.None.StartsWith("rng"));
        Assert.That(bundle.Manifest, Is.EqualTo(manifest).Using<BundleManifest>((x, y) => x.ToJson() == y.ToJson()), "the manifest survives the file");
    }

    [Test]
    public void SacCheckpointsBundleToo()
    {
        manual_seed(3);
        using var agent = new SacAgent(39, 4, new SacConfig { Hidden = 16, Layers = 1 });
        using var writer = new CheckpointWriter(SacAgent.AlgorithmName);
        agent.Save(writer);
        writer.Set("task", "reach").Set("control", "EndEffector");
        var checkpoint = Path.Combine(_dir, "sac.ckpt");
        writer.Save(checkpoint);
        var manifest = PolicyBundle.Export(checkpoint, Path.Combine(_dir, "sac.robo"));
        Assert.That(manifest.ObservationNormalization, Does.StartWith("none"));
        Assert.That(manifest.RequiredPerception, Is.EqualTo(new[] { "goal" }));
    }

    [Test]
    public void LoadingChecksTheLayoutAgainstWhatTheRobotDeclares()
    {
        var path = Path.Combine(_dir, "push-fit.robo");
        PolicyBundle.Export(BcCheckpoint(_dir, "push", seed: 2), path);
        using var bundle = PolicyBundle.Load(path);
        using var pushCell = new SimulatedFranka("push", 250, 250);
        Assert.DoesNotThrow(() => bundle.CheckFits(pushCell.Capabilities, 20));

        var blind = pushCell.Capabilities with { Task = "", Perception = PerceptionItems.Goal };
        var e = Assert.Throws<BundleMismatchException>(() => bundle.CheckFits(blind, 20));
        Assert.That(e!.Problems, Has.Count.EqualTo(1));
        Assert.That(e.Message, Does.Contain("needs perception of object").And.Contain("perceives goal"));

        using var reachCell = new SimulatedFranka("reach", 250, 250);
        e = Assert.Throws<BundleMismatchException>(() => bundle.CheckFits(reachCell.Capabilities, 200));
        Assert.That(e!.Problems, Has.Count.EqualTo(3), string.Join(" | ", e.Problems));
        Assert.That(e.Message, Does.Contain("set up for task 'reach'").And.Contain("80 Hz"));

        var jointPath = Path.Combine(_dir, "reach-joint.robo");
        PolicyBundle.Export(BcCheckpoint(_dir, "reach", ControlMode.JointDelta), jointPath);
        using var joint = PolicyBundle.Load(jointPath);
        Assert.That(joint.Manifest.ActionScaling.Mode, Is.EqualTo(CommandMode.JointTargets));
        var cartesianOnly = reachCell.Capabilities with { Modes = CommandModes.EndEffectorDelta };
        Assert.That(Assert.Throws<BundleMismatchException>(() => joint.CheckFits(cartesianOnly, 20))!.Message, Does.Contain("JointTargets"));
    }

    [Test]
    public void AlteredWeightsAndPlainCheckpointsAreRefused()
    {
        var checkpoint = BcCheckpoint(_dir, "reach", seed: 4);
        var path = Path.Combine(_dir, "reach.robo");
        PolicyBundle.Export(checkpoint, path);
        using (var scope = NewDisposeScope())
        {
            var (tensors, metadata) = SafeTensors.Load(path);
            var name = tensors.Keys.First(k => k.StartsWith("actor.", StringComparison.Ordinal) && k.EndsWith("weight", StringComparison.Ordinal));
            tensors[name] = tensors[name] + 0.05f;
            SafeTensors.Save(Path.Combine(_dir, "tampered.robo"), tensors, metadata);
        }
        var e = Assert.Throws<InvalidDataException>(() => PolicyBundle.Load(Path.Combine(_dir, "tampered.robo")).Dispose());
        Assert.That(e!.Message, Does.Contain("differ from the exported ones"));
        e = Assert.Throws<InvalidDataException>(() => PolicyBundle.Load(checkpoint).Dispose());
        Assert.That(e!.Message, Does.Contain("not a policy bundle").And.Contain("robo export"));
    }
}
