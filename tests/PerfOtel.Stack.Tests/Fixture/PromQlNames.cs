using System.Text.RegularExpressions;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>
/// Extracts the metric names a PromQL expression reads: what is left after removing strings, label matchers,
/// range selectors, grouping clauses, function calls and keywords.
/// </summary>
public static partial class PromQlNames
{
    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "Inf", "NaN"];

    public static IReadOnlySet<string> Extract(string expr)
    {
        var s = StringLiteral().Replace(WithoutComments(expr), " ");
        s = GrafanaVariable().Replace(s, "x");
        s = Braces().Replace(s, " ");
        s = Brackets().Replace(s, " ");
        s = Grouping().Replace(s, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(s))
        {
            var rest = s.AsSpan(m.Index + m.Length).TrimStart();
            if (rest.StartsWith("(") || Keywords.Contains(m.Value))
            {
                continue;
            }

            names.Add(m.Value);
        }

        return names;
    }

    /// <summary>PromQL comments run from <c>#</c> outside a string to the end of the line.</summary>
    private static string WithoutComments(string expr)
    {
        var result = new System.Text.StringBuilder(expr.Length);
        foreach (var line in expr.Split('\n'))
        {
            char? quote = null;
            var end = line.Length;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quote is not null)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote)
                    {
                        quote = null;
                    }
                }
                else if (c is '"' or '\'' or '`')
                {
                    quote = c;
                }
                else if (c == '#')
                {
                    end = i;
                    break;
                }
            }

            result.Append(line.AsSpan(0, end)).Append('\n');
        }

        return result.ToString();
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
