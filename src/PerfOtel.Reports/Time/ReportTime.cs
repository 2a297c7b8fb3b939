using System.Globalization;

namespace PerfOtel.Reports.Time;

/// <summary>Points in time as the command line writes them: ISO-8601 or unix seconds; always UTC inside.</summary>
internal static class ReportTime
{
    // Extended ISO-8601 only: a date, or a date and time with optional fraction and offset. An absent offset
    // means UTC: a scheduled job must not change meaning with the machine's time zone.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>The largest unix time a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z).</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>
    /// Parses ISO-8601 (<c>2026-01-31T13:00:00Z</c>, <c>2026-01-31T14:00+01:00</c>, <c>2026-01-31</c>) or
    /// unix seconds (<c>1769864400</c>, <c>1769864400.5</c>). The result is UTC, truncated to milliseconds
    /// (Prometheus' resolution).
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxUnixSeconds)
            {
                return false;
            }

            time = DateTimeOffset.UnixEpoch.AddMilliseconds((double)decimal.Truncate(seconds * 1000));
            return true;
        }

        if (!DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        time = new DateTimeOffset(parsed.UtcTicks - (parsed.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        return true;
    }

    /// <summary>ISO-8601 in UTC for people: <c>2026-01-31T13:00:00Z</c> (milliseconds only when present).</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(time.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Basic ISO-8601 in UTC for file names: sorts as text, no colons (<c>20260131T130000Z</c>).</summary>
    public static string FileStamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A span for people: <c>1d 2h</c>, <c>90m</c> style components, largest first.</summary>
    public static string FormatSpan(TimeSpan span)
    {
        var parts = new List<string>(4);
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0 || span.Milliseconds > 0 || parts.Count == 0)
        {
            parts.Add(span.Milliseconds > 0
                ? (span.Seconds + (span.Milliseconds / 1000.0)).ToString("0.###", CultureInfo.InvariantCulture) + "s"
                : $"{span.Seconds}s");
        }

        return string.Join(' ', parts);
    }
}
