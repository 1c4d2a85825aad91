namespace Robotics.MuJoCo.Viewing;

/// <summary>No window can be opened: no X display (DISPLAY unset or unreachable) or no OpenGL on it.</summary>
public sealed class NoDisplayException : Exception
{
    public NoDisplayException(string detail)
        : base($"no display: set DISPLAY or run under xvfb-run ({detail})") { }
}
