using System.CommandLine;

namespace Robotics.Cli.Commands;

/// <summary>
/// Turns the exceptions a user can cause (bad model, bad file, bad argument) into one clear line on stderr and
/// exit code 1, instead of a stack trace. Unexpected failures keep their stack trace for bug reports.
/// </summary>
public static class CommandErrors
{
    public static int Invoke(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"robo: error: {e.Message}");
            if (Environment.GetEnvironmentVariable("ROBO_DEBUG") == "1") Console.Error.WriteLine(e);
            return 1;
        }
    }

    private static bool IsUserError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or InvalidOperationException or FormatException
        || e.GetType().Name.EndsWith("Exception", StringComparison.Ordinal) && e.GetType().Namespace?.StartsWith("Robotics", StringComparison.Ordinal) == true;
}
