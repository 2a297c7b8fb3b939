using System.CommandLine;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary>An option holding a point in time: ISO-8601 (UTC unless it has an offset) or unix seconds.</summary>
internal static class TimeOption
{
    public static Option<DateTimeOffset> Create(string name, string description) => new(name)
    {
        Description = description + " (ISO-8601, UTC unless an offset is given, or unix seconds)",
        HelpName = "time",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (ReportTime.TryParse(text, out var time))
            {
                return time;
            }

            result.AddError($"{name}: '{text}' is not a time; use ISO-8601 (2026-01-31T13:00:00Z) or unix seconds");
            return default;
        },
    };
}
