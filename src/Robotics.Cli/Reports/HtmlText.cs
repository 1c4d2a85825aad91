using System.Text;

namespace Robotics.Cli.Reports;

/// <summary>Escaping for text and attribute values in HTML and SVG (both parse it the same way).</summary>
public static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                // Control characters other than tab and newlines are not allowed in XML (and mean nothing in HTML).
                case < ' ' when ch is not ('\t' or '\n' or '\r'): sb.Append('\uFFFD'); break;
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }
}
