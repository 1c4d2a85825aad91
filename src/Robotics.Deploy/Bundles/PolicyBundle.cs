using System.Globalization;
using System.Security.Cryptography;
using Robotics.Agents;
using Robotics.Agents.Ppo;
using Robotics.Agents.Sac;
using Robotics.Deploy.Robots;
using Robotics.Envs;
using Robotics.Envs.Franka;
using Robotics.Torch;
using Robotics.Torch.Serialization;
using static Robotics.Torch.torch;

namespace Robotics.Deploy.Bundles;

/// <summary>
/// A policy bundle (.robo): one safetensors file holding the trained checkpoint's tensors and metadata unchanged, so
/// the same <see cref="PolicyLoader"/> code rebuilds the agent and Act() — observation normalisation included, since
/// every algorithm keeps its statistics inside its weights — computes exactly what it computed in training; plus a
/// manifest (JSON, metadata key "bundle.manifest") and probe observations with the actions the exporting build gave
/// for them ("bundle.probe.*" tensors). Loading recomputes the probes, so a bundle whose weights were altered, or a
/// build whose numerics differ, is refused instead of driving an arm with a policy that is not the trained one.
/// </summary>
public sealed class PolicyBundle : IDisposable
{
    public const string ManifestKey = "bundle.manifest";
    public const string FormatKey = "bundle.format";
    public const string FormatVersionKey = "bundle.format_version";
    public const string ProbeObservations = "bundle.probe.observations";
    public const string ProbeActions = "bundle.probe.actions";
    /// <summary>Largest probe difference accepted: bit-exact on the exporting build; other BLAS builds differ in the last bits.</summary>
    public const float ProbeTolerance = 1e-4f;
    private const int ProbeSeeds = 4, ProbeStepsPerSeed = 4;

    private readonly LoadedPolicy _loaded;

    public string Path { get; }
    public BundleManifest Manifest { get; }
    /// <summary>The rebuilt agent; Act with deterministic = true is the policy as evaluated.</summary>
    public IPolicy Policy => _loaded.Policy;
    /// <summary>The largest difference between recomputed and stored probe actions at load.</summary>
    public float ProbeError { get; }

    private PolicyBundle(string path, BundleManifest manifest, LoadedPolicy loaded, float probeError) =>
        (Path, Manifest, _loaded, ProbeError) = (path, manifest, loaded, probeError);

    /// <summary>Writes a bundle of <paramref name="checkpointPath"/> to <paramref name="outPath"/>, then loads it back to prove it reproduces the checkpoint.</summary>
    public static BundleManifest Export(string checkpointPath, string outPath)
    {
        checkpointPath = System.IO.Path.GetFullPath(checkpointPath);
        using var loaded = PolicyLoader.Load(checkpointPath);
        var task = loaded.Task ?? throw new InvalidDataException($"checkpoint '{checkpointPath}' does not say which task it was trained on, so its observation layout is unknown");
        var control = loaded.Metadata.TryGetValue("control", out var c) && c == nameof(ControlMode.JointDelta) ? ControlMode.JointDelta : ControlMode.EndEffector;
        var scaling = ActionScaling.ForControl(control);
        var layout = ObservationLayout.ForTask(task);
        if (loaded.Policy.ObservationSize != layout.Count || loaded.Policy.ActionSize != scaling.ActionSize)
            throw new InvalidDataException($"checkpoint '{checkpointPath}' maps {loaded.Policy.ObservationSize} observations to {loaded.Policy.ActionSize} actions; " +
                                           $"task {task} with {control} control has {layout.Count} and {scaling.ActionSize}");

        var (probeObs, probeActions, rateHz) = Probe(loaded.Policy, task, control);
        var manifest = new BundleManifest
        {
            Algorithm = loaded.Algorithm, Task = task, Control = control.ToString(), ControlRateHz = rateHz,
            ObservationSize = layout.Count, ActionSize = scaling.ActionSize, ObservationLayout = layout,
            RequiredPerception = ObservationLayout.Names(ObservationLayout.Needs(layout)), ActionScaling = scaling,
            ObservationNormalization = DescribeNormalization(loaded),
            Training = loaded.Metadata.Where(kv => kv.Key is not ("format" or "format_version") && !kv.Key.StartsWith("rng", StringComparison.Ordinal))
                                      .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(),
            SourceCheckpoint = System.IO.Path.GetFileName(checkpointPath),
            SourceSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(checkpointPath))),
            Created = DateTimeOffset.UtcNow,
            ProbeCount = probeObs.Length / layout.Count,
        };

        using (var scope = NewDisposeScope())
        {
            var (tensors, metadata) = SafeTensors.Load(checkpointPath);
            tensors[ProbeObservations] = tensor<float>(probeObs, [manifest.ProbeCount, layout.Count]);
            tensors[ProbeActions] = tensor<float>(probeActions, [manifest.ProbeCount, scaling.ActionSize]);
            metadata[FormatKey] = BundleManifest.FormatName;
            metadata[FormatVersionKey] = BundleManifest.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture);
            metadata[ManifestKey] = manifest.ToJson();
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(outPath));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            SafeTensors.Save(outPath, tensors, metadata);
        }
        using (Load(outPath)) { } // proves the file rebuilds the same policy before anyone takes it to a robot
        return manifest;
    }

    /// <summary>Reads a bundle, rebuilds its policy and checks the probes. A plain checkpoint is refused with a hint to export it.</summary>
    public static PolicyBundle Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"policy bundle '{path}' does not exist", path);
        BundleManifest manifest;
        float[] probeObs, probeActions;
        using (var scope = NewDisposeScope())
        {
            Dictionary<string, Tensor> tensors;
            Dictionary<string, string> metadata;
            try
            {
                (tensors, metadata) = SafeTensors.Load(path);
            }
            catch (Exception e) when (e is TorchException or InvalidDataException or IOException)
            {
                throw new InvalidDataException($"'{path}' is not a readable policy bundle: {e.Message}", e);
            }
            if (!metadata.TryGetValue(FormatKey, out var format) || format != BundleManifest.FormatName || !metadata.TryGetValue(ManifestKey, out var json))
                throw new InvalidDataException($"'{path}' is not a policy bundle (no {FormatKey} metadata); make one with `robo export CHECKPOINT --out policy.robo`");
            if (metadata.GetValueOrDefault(FormatVersionKey) != BundleManifest.CurrentFormatVersion.ToString(CultureInfo.InvariantCulture))
                throw new InvalidDataException($"'{path}' is policy-bundle format version {metadata.GetValueOrDefault(FormatVersionKey)}; this build reads version {BundleManifest.CurrentFormatVersion}");
            manifest = BundleManifest.FromJson(json, path);
            if (!tensors.TryGetValue(ProbeObservations, out var po) || !tensors.TryGetValue(ProbeActions, out var pa))
                throw new InvalidDataException($"'{path}' has no probe tensors, so it cannot prove it reproduces its policy");
            probeObs = po.to(ScalarType.Float32).ToArray<float>();
            probeActions = pa.to(ScalarType.Float32).ToArray<float>();
        }
        if (manifest.ObservationLayout.Count != manifest.ObservationSize || manifest.ActionScaling.ActionSize != manifest.ActionSize)
            throw new InvalidDataException($"'{path}': the manifest's layout ({manifest.ObservationLayout.Count} entries, {manifest.ActionScaling.ActionSize} actions) does not match its sizes ({manifest.ObservationSize}, {manifest.ActionSize})");
        if (probeObs.Length != manifest.ProbeCount * manifest.ObservationSize || probeActions.Length != manifest.ProbeCount * manifest.ActionSize)
            throw new InvalidDataException($"'{path}': the probe tensors do not hold {manifest.ProbeCount} observation/action pairs");

        var loaded = PolicyLoader.Load(path);
        try
        {
            if (loaded.Algorithm != manifest.Algorithm || loaded.Policy.ObservationSize != manifest.ObservationSize || loaded.Policy.ActionSize != manifest.ActionSize)
                throw new InvalidDataException($"'{path}': the manifest describes a {manifest.Algorithm} policy {manifest.ObservationSize}→{manifest.ActionSize}, " +
                                               $"the weights are {loaded.Algorithm} {loaded.Policy.ObservationSize}→{loaded.Policy.ActionSize}");
            float error = ProbeDifference(loaded.Policy, probeObs, probeActions, manifest);
            if (!(error <= ProbeTolerance))
                throw new InvalidDataException($"'{path}': the rebuilt policy's actions differ from the exported ones by up to {error:G3} (tolerance {ProbeTolerance:G1}): " +
                                               "the weights were altered or this build computes differently; re-export on this machine to check");
            return new PolicyBundle(System.IO.Path.GetFullPath(path), manifest, loaded, error);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="BundleMismatchException"/> unless <paramref name="robot"/> can run this policy at <paramref name="rateHz"/>.</summary>
    public void CheckFits(RobotCapabilities robot, double rateHz) => Manifest.Requirements.Check(robot, rateHz);

    /// <summary>
    /// Observations the policy meets in practice (episode starts over several seeds, and a few of its own steps from
    /// each) with its deterministic actions; returns them with the env's control rate.
    /// </summary>
    private static (float[] Observations, float[] Actions, double RateHz) Probe(IPolicy policy, string task, ControlMode control)
    {
        using var env = new FrankaEnv(FrankaSuite.CreateTask(task), FrankaEnvOptions.Default with { Control = control });
        int n = ProbeSeeds * ProbeStepsPerSeed, o = env.ObservationSpace.Dimension, a = env.ActionSpace.Dimension;
        var observations = new float[n * o];
        var actions = new float[n * a];
        int row = 0;
        for (int seed = 0; seed < ProbeSeeds; seed++)
        {
            var obs = env.Reset(seed).Observation;
            policy.Reset();
            for (int t = 0; t < ProbeStepsPerSeed; t++, row++)
            {
                obs.CopyTo(observations.AsSpan(row * o, o));
                var action = actions.AsSpan(row * a, a);
                policy.Act(obs, action, deterministic: true);
                var clipped = action.ToArray().Select(x => float.IsFinite(x) ? Math.Clamp(x, -1f, 1f) : 0f).ToArray();
                obs = env.Step(clipped).Observation;
            }
        }
        return (observations, actions, 1.0 / env.ControlTimestep);
    }

    private static float ProbeDifference(IPolicy policy, float[] observations, float[] actions, BundleManifest manifest)
    {
        int o = manifest.ObservationSize, a = manifest.ActionSize;
        var action = new float[a];
        float worst = 0;
        for (int i = 0; i < manifest.ProbeCount; i++)
        {
            policy.Act(observations.AsSpan(i * o, o), action, deterministic: true);
            for (int j = 0; j < a; j++)
            {
                float d = Math.Abs(action[j] - actions[i * a + j]);
                if (float.IsNaN(d)) return float.NaN;
                worst = Math.Max(worst, d);
            }
        }
        return worst;
    }

    private static string DescribeNormalization(LoadedPolicy loaded) => loaded.Algorithm switch
    {
        SacAgent.AlgorithmName => "none: SAC acts on raw observations",
        PpoAgent.AlgorithmName when loaded.Metadata.GetValueOrDefault("normalize_observations") == "1" =>
            $"running mean and variance (tensors obs_rms.*) applied inside the policy, clipped to ±{loaded.Metadata.GetValueOrDefault("observation_clip")}",
        PpoAgent.AlgorithmName => "none: trained without observation normalisation",
        _ => "dataset mean and std (tensors obs_norm.*) applied inside the policy",
    };

    public void Dispose() => _loaded.Dispose();
}
