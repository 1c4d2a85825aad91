using Microsoft.CodeAnalysis;

namespace Robotics.Rewards.Sandbox;

/// <summary>Why a program was refused: a sandbox rule ("forbidden") or an ordinary compiler error ("compile").</summary>
public sealed record SandboxDiagnostic(string Kind, int Line, int Column, string Message)
{
    public const string Forbidden = "forbidden";
    public const string Compile = "compile";

    public static SandboxDiagnostic At(string kind, Location location, string message)
    {
        var span = location.GetLineSpan();
        return new SandboxDiagnostic(kind, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, message);
    }

    public static SandboxDiagnostic At(string kind, SyntaxNode node, string message) => At(kind, node.GetLocation(), message);

    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}: {Kind}: {Message}" : $"{Kind}: {Message}";
}
