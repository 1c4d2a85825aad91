namespace Robotics.Cli.Training;

/// <summary>
/// One writer per run directory. Two runs given the same --out would interleave their rows in metrics.csv and
/// overwrite each other's checkpoints, so the second is refused while the first holds the lock. The lock is an
/// open file with FileShare.None, which .NET takes as an flock(2) lock on Linux: the kernel drops it when the
/// holding process exits, however it exits, so a killed run never leaves a stale lock behind.
/// </summary>
public sealed class RunDirectoryLock : IDisposable
{
    private const string FileName = ".lock";
    private readonly FileStream _file;

    private RunDirectoryLock(FileStream file) => _file = file;

    /// <summary>Creates <paramref name="directory"/> if needed and locks it, or throws naming the directory when another run holds it.</summary>
    public static RunDirectoryLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            return new RunDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"the run directory '{directory}' is in use by another robo process (it holds {path}); give --out another directory, or wait for that run to finish", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
