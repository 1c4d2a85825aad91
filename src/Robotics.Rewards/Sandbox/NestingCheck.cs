namespace Robotics.Rewards.Sandbox;

/// <summary>
/// A look at the raw text before Roslyn parses it. Roslyn's parser recurses once per nesting level, and some of its
/// paths have no stack guard: a few tens of thousands of nested brackets overflow the stack, which kills the process
/// (no exception to catch). Real reward programs nest a handful of levels, so brackets deeper than the limit, and long
/// runs of prefix operators or conditionals (the other right-recursive forms), are refused here by a linear scan.
/// Comments, strings and character literals are skipped so their contents do not count.
/// </summary>
internal static class NestingCheck
{
    public const int MaxDepth = 100;
    public const int MaxPrefixRun = 32;
    public const int MaxConditionals = 256;

    public static SandboxDiagnostic? Find(string source)
    {
        int depth = 0, line = 1, prefixRun = 0, conditionals = 0;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '\n') line++;
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n') i++;
                line++;
                continue;
            }
            if (c == '/' && next == '*')
            {
                for (i += 2; i < source.Length && !(source[i] == '*' && i + 1 < source.Length && source[i + 1] == '/'); i++)
                    if (source[i] == '\n') line++;
                i++;
                continue;
            }
            if (c is '"' or '\'')
            {
                for (i++; i < source.Length && source[i] != c && source[i] != '\n'; i++)
                    if (source[i] == '\\') i++;
                continue;
            }
            switch (c)
            {
                case '(' or '[' or '{':
                    if (++depth > MaxDepth) return Refuse(line, $"brackets nest more than {MaxDepth} levels deep");
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '?':
                    if (++conditionals > MaxConditionals) return Refuse(line, $"more than {MaxConditionals} conditional (?:) operators");
                    break;
            }
            if (c is '!' or '-' or '+' or '~') { if (++prefixRun > MaxPrefixRun) return Refuse(line, $"a run of more than {MaxPrefixRun} operators in a row"); }
            else if (!char.IsWhiteSpace(c)) prefixRun = 0;
        }
        return null;
    }

    /// <summary>Deepest syntax tree accepted: statements nest without brackets (`if (a) if (b) …`), so the parsed tree is checked too.</summary>
    public const int MaxTreeDepth = 400;

    /// <summary>The parsed tree's depth, measured without recursion, before any recursive walker (ours or Roslyn's binder) sees it.</summary>
    public static SandboxDiagnostic? FindInTree(Microsoft.CodeAnalysis.SyntaxNode root)
    {
        var pending = new Stack<(Microsoft.CodeAnalysis.SyntaxNode Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxTreeDepth)
                return Refuse(node.GetLocation().GetLineSpan().StartLinePosition.Line + 1, $"statements or expressions nest more than {MaxTreeDepth} syntax levels deep");
            foreach (var child in node.ChildNodes()) pending.Push((child, depth + 1));
        }
        return null;
    }

    private static SandboxDiagnostic Refuse(int line, string what) =>
        new(SandboxDiagnostic.Forbidden, line, 1, $"the program is nested too deeply: {what}");
}
