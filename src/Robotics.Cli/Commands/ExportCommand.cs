using System.CommandLine;
using Robotics.Deploy.Bundles;

namespace Robotics.Cli.Commands;

/// <summary>`robo export CHECKPOINT --out policy.robo`: a policy bundle for deployment, checked by loading it back.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<FileInfo>("checkpoint") { Description = "a checkpoint written by robo train (.ckpt)" };
        var output = new Option<FileInfo>("--out") { Description = "bundle to write (.robo)", Required = true };
        var command = new Command("export", "write a policy bundle (weights, observation layout, action scaling, metadata) for robo deploy")
            { checkpoint, output };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(checkpoint)!.FullName;
            var path = parse.GetValue(output)!.FullName;
            var manifest = PolicyBundle.Export(source, path);
            JsonOutput.PrintLine(new
            {
                @out = path, checkpoint = source, algorithm = manifest.Algorithm, task = manifest.Task, control = manifest.Control,
                control_rate_hz = manifest.ControlRateHz, observation_size = manifest.ObservationSize, action_size = manifest.ActionSize,
                required_perception = manifest.RequiredPerception, observation_normalization = manifest.ObservationNormalization,
                probes = manifest.ProbeCount, bytes = new FileInfo(path).Length, source_sha256 = manifest.SourceSha256,
            });
            return 0;
        });
        return command;
    }
}
