using System.Text.RegularExpressions;

namespace Robotics.Rewards.Programs;

/// <summary>
/// Finds the program in an LLM's reply: the fenced ```csharp (or ```cs / ```c#) block, else an untagged fence that
/// holds the entry point, else the whole reply when it is bare code. Reasoning models' &lt;think&gt; sections are
/// dropped first, since they often contain draft code that is not the answer.
/// </summary>
public static partial class CodeExtraction
{
    [GeneratedRegex(@"<think>.*?(</think>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Thinking();

    /// <summary>A fence: ``` or ~~~, an optional language tag, the body, and the closing fence (or the reply's end, if it was cut off).</summary>
    [GeneratedRegex(@"^[ \t]*(```|~~~)[ \t]*([\w#+.-]*)[^\n]*\n(.*?)(^[ \t]*\1[ \t]*$|\z)", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    private static readonly string[] CSharpTags = ["csharp", "cs", "c#", "c-sharp"];

    /// <summary>The program's source, or null when the reply holds none.</summary>
    public static string? Extract(string reply)
    {
        var text = Thinking().Replace(reply, "");
        var blocks = Fence().Matches(text).Select(m => (Tag: m.Groups[2].Value.ToLowerInvariant(), Code: m.Groups[3].Value)).ToList();
        var tagged = blocks.Where(b => CSharpTags.Contains(b.Tag)).Select(b => b.Code).ToList();
        // Several C# blocks: the one with the entry point (a reply may show a helper or a fix separately).
        var code = tagged.FirstOrDefault(HasEntry) ?? tagged.FirstOrDefault()
                   ?? blocks.Where(b => b.Tag.Length == 0).Select(b => b.Code).FirstOrDefault(HasEntry);
        if (code is null && blocks.Count == 0 && HasEntry(text)) code = text;
        return code is null ? null : code.Trim() + "\n";
    }

    private static bool HasEntry(string code) => code.Contains("class", StringComparison.Ordinal) && code.Contains("Compute", StringComparison.Ordinal);
}
