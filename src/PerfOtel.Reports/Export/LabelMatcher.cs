using System.Text;
using System.Text.RegularExpressions;

namespace PerfOtel.Reports.Export;

/// <summary>
/// A label filter of <c>export</c>: <c>NAME=VALUE</c>, <c>NAME!=VALUE</c>, <c>NAME=~REGEX</c>, <c>NAME!~REGEX</c>.
/// Names are checked and values quoted here, so a filter can never change the query's shape.
/// </summary>
internal sealed partial record LabelMatcher(string Name, string Operator, string Value)
{
    public static bool TryParse(string text, out LabelMatcher? matcher)
    {
        matcher = null;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var value = match.Groups[3].Value;
        // Accept a value the user quoted as in PromQL ("planner").
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        matcher = new LabelMatcher(match.Groups[1].Value, match.Groups[2].Value, value);
        return true;
    }

    public string ToPromQl()
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in Value)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return $"{Name}{Operator}{quoted}\"";
    }

    public static bool IsMetricName(string name) => MetricName().IsMatch(name);

    [GeneratedRegex("^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)(.*)$", RegexOptions.Singleline)]
    private static partial Regex Pattern();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();
}
