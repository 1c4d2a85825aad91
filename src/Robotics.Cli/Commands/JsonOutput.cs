using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Robotics.Cli.Commands;

/// <summary>Machine-readable results: commands end with one JSON line that scripts and tests parse.</summary>
public static class JsonOutput
{
    /// <summary>Text such as task instructions stays readable ("robot's", not "robot\u0027s"); JSON's own escapes still apply.</summary>
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void PrintLine(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>A JSON array of doubles with 17 significant digits, enough to round-trip every double exactly.</summary>
    public static string ExactArray(ReadOnlySpan<double> values)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) sb.Append(',');
            if (!double.IsFinite(values[i])) throw new InvalidOperationException($"value {i} is {values[i]}, which JSON cannot carry");
            sb.Append(values[i].ToString("G17", CultureInfo.InvariantCulture));
        }
        return sb.Append(']').ToString();
    }
}
