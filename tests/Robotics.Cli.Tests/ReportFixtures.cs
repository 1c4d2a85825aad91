using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>
/// Builds run directories shaped like the ones `robo train` writes (see a real one: metrics.csv, summary.json,
/// config.json, videos/final.mp4), with synthetic but plausible numbers, under a fresh temp directory.
/// </summary>
internal static class ReportFixtures
{
    /// <summary>One logged row of metrics.csv.</summary>
    public sealed record Row(long Step, string Metric, double Value);

    public static string TempDirectory(string name) => Directory.CreateTempSubdirectory("report-" + name).FullName;

    public static string Csv(IEnumerable<Row> rows)
    {
        var sb = new StringBuilder("step,wall_time,metric,value\n");
        double wall = 1795241524.198;
        foreach (var r in rows)
        {
            wall += 0.5;
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(wall.ToString("F3", CultureInfo.InvariantCulture)).Append(',')
              .Append(r.Metric).Append(',')
              .Append(r.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The rows of a SAC run of <paramref name="steps"/> steps: episodes ending at irregular steps (so seeds do not
    /// share them), losses every 1000 steps, evaluations every 2000, and one reward component.
    /// </summary>
    public static List<Row> TrainingRows(int seed, long steps, double finalSuccess)
    {
        var rng = new Random(seed);
        var rows = new List<Row>();
        long nextEpisode = 150 + rng.Next(300);
        for (long step = 100; step <= steps; step += 100)
        {
            double progress = step / (double)steps;
            if (step >= nextEpisode)
            {
                rows.Add(new(step, "charts/episodic_return", 600 + 300 * progress + rng.NextDouble() * 40));
                rows.Add(new(step, "charts/episodic_length", 500));
                rows.Add(new(step, "charts/success", rng.NextDouble() < progress * finalSuccess ? 1 : 0));
                rows.Add(new(step, "reward/reach", -1 + progress + rng.NextDouble() * 0.1));
                nextEpisode = step + 200 + rng.Next(400);
            }
            if (step % 1000 == 0)
            {
                rows.Add(new(step, "losses/qf1_loss", 0.05 * (1 - progress) + rng.NextDouble() * 0.01));
                rows.Add(new(step, "losses/actor_loss", -15 - 12 * progress - seed));
                rows.Add(new(step, "losses/alpha", 0.8 - 0.2 * progress - 0.01 * seed));
                rows.Add(new(step, "charts/SPS", 20 + rng.NextDouble()));
            }
            if (step % 2000 == 0)
            {
                rows.Add(new(step, "eval/success_rate", Math.Round(finalSuccess * progress, 1)));
                rows.Add(new(step, "eval/episodic_return", 600 + 300 * progress + 20 * seed));
                rows.Add(new(step, "eval/episode_length", 500));
            }
        }
        return rows;
    }

    /// <summary>A complete single run directory; leave out the summary for a run still going (or killed).</summary>
    public static string WriteRun(string dir, int seed, long steps, double finalSuccess, double meanReturn,
                                  bool summary = true, bool interrupted = false, bool video = true, bool gif = false)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "metrics.csv"), Csv(TrainingRows(seed, steps, finalSuccess)));
        File.WriteAllText(Path.Combine(dir, "config.json"),
            $$"""{"request": {"Task": "reach", "Algorithm": "sac", "Steps": {{steps}}, "Seed": {{seed}} }, "sac": {"Gamma": 0.99} }""");
        if (summary)
            File.WriteAllText(Path.Combine(dir, "summary.json"), string.Create(CultureInfo.InvariantCulture,
                $$"""{"run_dir": {{JsonSerializer.Serialize(dir)}}, "algorithm": "sac", "steps": {{steps}}, "seconds": 87.5, "steps_per_sec": 22.8, "success_rate": {{finalSuccess}}, "mean_return": {{meanReturn}}, "checkpoint": null, "video": null, "interrupted": {{(interrupted ? "true" : "false")}} }"""));
        if (video || gif) Directory.CreateDirectory(Path.Combine(dir, "videos"));
        // The bytes need not decode: the report only links to the files.
        if (video) File.WriteAllBytes(Path.Combine(dir, "videos", "final.mp4"), new byte[2048]);
        if (gif) File.WriteAllBytes(Path.Combine(dir, "videos", "final.gif"), "GIF89a"u8.ToArray());
        return dir;
    }

    /// <summary>
    /// An experiment directory: run.json, experiment.yaml and seed-0 (success 0.6, return 800) and seed-1
    /// (success 0.8, return 820, and a GIF), both complete. Final success rate: 0.7 ± 0.1414 (n = 2).
    /// </summary>
    public static string TwoSeedExperiment(string root, string name = "reach-sac", long steps = 10_000)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "run.json"),
            $$"""{"name": "{{name}}", "task": "reach", "algorithm": "sac", "git_commit": "17630d7abc", "seeds": [0, 1], "started": "2025-11-21T06:11:00Z"}""");
        File.WriteAllText(Path.Combine(dir, "experiment.yaml"), "name: reach-sac\ntask: reach\nalgorithm: sac\nseeds: [0, 1]\n");
        WriteRun(Path.Combine(dir, "seed-0"), 0, steps, 0.6, 800);
        WriteRun(Path.Combine(dir, "seed-1"), 1, steps, 0.8, 820, gif: true);
        return dir;
    }
}
