namespace PerfOtel.Reports.Time;

/// <summary>The ranges of the scheduled reports: whole UTC days ending at the last midnight at or before a time.</summary>
internal static class ReportPeriods
{
    /// <summary>The UTC day before the one containing <paramref name="at"/>: (midnight - 1d, midnight].</summary>
    public static ReportRange Daily(DateTimeOffset at) => LastDays(at, 1);

    /// <summary>The 7 UTC days before the one containing <paramref name="at"/> (run on a Monday: the ISO week before).</summary>
    public static ReportRange Weekly(DateTimeOffset at) => LastDays(at, 7);

    public static ReportRange LastDays(DateTimeOffset at, int days)
    {
        var midnight = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return ReportRange.Create(midnight.AddDays(-days), midnight);
    }
}
