using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary>Options holding a point in time (ISO-8601, UTC unless it has an offset, or unix seconds) or a span (<c>90m</c>).</summary>
internal static partial class TimeOption
{
    public static Option<DateTimeOffset> Create(string name, string description) => new(name)
    {
        Description = description + " (ISO-8601, UTC unless an offset is given, or unix seconds)",
        HelpName = "time",
        Required = true,
        CustomParser = result => Parse(result, name),
    };

    /// <summary>An optional time; absent means the value is null (the command picks its default, usually now).</summary>
    public static Option<DateTimeOffset?> CreateOptional(string name, string description) => new(name)
    {
        Description = description + " (ISO-8601, UTC unless an offset is given, or unix seconds)",
        HelpName = "time",
        CustomParser = result => Parse(result, name),
    };

    /// <summary>A span such as <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c> (one number and one unit).</summary>
    public static Option<TimeSpan> CreateSpan(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description + " (30s, 15m, 1h, 7d)",
        HelpName = "span",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (TryParseSpan(text, out var span))
            {
                return span;
            }

            result.AddError($"{name}: '{text}' is not a span; use a positive number and s, m, h or d (15m, 1h, 7d)");
            return defaultValue;
        },
    };

    public static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = default;
        var match = SpanPattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return false;
        }

        span = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return true;
    }

    private static DateTimeOffset Parse(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        var text = result.Tokens[0].Value;
        if (ReportTime.TryParse(text, out var time))
        {
            return time;
        }

        result.AddError($"{name}: '{text}' is not a time; use ISO-8601 (2026-01-31T13:00:00Z) or unix seconds");
        return default;
    }

    [GeneratedRegex("^([0-9]+)([smhd])$")]
    private static partial Regex SpanPattern();
}
