using System.Globalization;
using System.Text.RegularExpressions;

namespace PerfOtel.AlertQuality.Rules;

/// <summary>Prometheus durations (<c>1h30m</c>, <c>5m</c>, <c>0s</c>, <c>7d</c>) in seconds.</summary>
internal static partial class PromDuration
{
    public static int Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "0")
        {
            return 0;
        }

        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            throw new FormatException($"'{text}' is not a Prometheus duration");
        }

        double seconds = 0;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups[2].Value switch
            {
                "ms" => n / 1000,
                "s" => n,
                "m" => n * 60,
                "h" => n * 3600,
                "d" => n * 86400,
                "w" => n * 7 * 86400,
                "y" => n * 365 * 86400,
                _ => throw new FormatException(text),
            };
        }

        return (int)Math.Round(seconds);
    }

    public static string Format(long seconds)
    {
        if (seconds == 0)
        {
            return "0s";
        }

        var parts = new List<string>();
        foreach (var (unit, size) in new[] { ("d", 86400L), ("h", 3600L), ("m", 60L), ("s", 1L) })
        {
            if (seconds >= size)
            {
                parts.Add((seconds / size).ToString(CultureInfo.InvariantCulture) + unit);
                seconds %= size;
            }
        }

        return string.Concat(parts);
    }

    [GeneratedRegex("([0-9]+)(ms|y|w|d|h|m|s)")]
    private static partial Regex Part();
}
