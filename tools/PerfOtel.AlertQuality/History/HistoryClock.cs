namespace PerfOtel.AlertQuality.History;

/// <summary>
/// The scrape grid of a history: steps k = 0..<see cref="LastStep"/>, <see cref="StepSeconds"/> apart from
/// <see cref="Start"/> (a UTC midnight). Times are unix seconds.
/// </summary>
internal sealed class HistoryClock
{
    public HistoryClock(long start, int stepSeconds, int lastStep)
    {
        if (stepSeconds <= 0 || 86400 % stepSeconds != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), "the step must divide a day");
        }

        Start = start;
        StepSeconds = stepSeconds;
        LastStep = lastStep;
    }

    public long Start { get; }

    public int StepSeconds { get; }

    public int LastStep { get; }

    public int Steps => LastStep + 1;

    public long End => TimeAt(LastStep);

    public long TimeAt(int k) => Start + ((long)k * StepSeconds);

    /// <summary>The first step at or after <paramref name="t"/>, clamped to the grid.</summary>
    public int StepAtOrAfter(long t) => (int)Math.Clamp((t - Start + StepSeconds - 1) / StepSeconds, 0, LastStep);

    /// <summary>The last step at or before <paramref name="t"/>, clamped to the grid.</summary>
    public int StepAtOrBefore(long t) => (int)Math.Clamp((t - Start) / StepSeconds, 0, LastStep);

    public static double HourOfDay(long t) => ((t % 86400) + 86400) % 86400 / 3600.0;

    /// <summary>Saturday or Sunday (UTC).</summary>
    public static bool IsWeekend(long t) => DateTimeOffset.FromUnixTimeSeconds(t).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    public static long DayStart(long t) => t - (((t % 86400) + 86400) % 86400);

    public static long MonthStart(long t)
    {
        var d = DateTimeOffset.FromUnixTimeSeconds(t);
        return new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    }

    public static long MonthEnd(long t)
    {
        var d = DateTimeOffset.FromUnixTimeSeconds(t);
        return new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).ToUnixTimeSeconds();
    }

    public static string Format(long t) => DateTimeOffset.FromUnixTimeSeconds(t).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
