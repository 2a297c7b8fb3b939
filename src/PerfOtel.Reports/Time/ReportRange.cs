namespace PerfOtel.Reports.Time;

/// <summary>
/// The time range a report covers: <c>(From, To]</c>, as a Prometheus range selector evaluated at
/// <see cref="To"/> with the window <see cref="Window"/> sees it. Never empty.
/// </summary>
internal sealed record ReportRange
{
    private ReportRange(DateTimeOffset from, DateTimeOffset to)
    {
        From = from;
        To = to;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public TimeSpan Window => To - From;

    /// <summary>The most buckets a period's series have.</summary>
    public const int MaxBuckets = 84;

    /// <summary>The period of the same length just before this one: what a report compares with.</summary>
    public ReportRange Previous => new(From - Window, From);

    /// <summary>
    /// The bucket of a report's series: the smallest of 1m, 5m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d giving at most
    /// <see cref="MaxBuckets"/> per period (daily: 30m, weekly: 2h). Enough points for the statistics; a range query's
    /// cost grows with their number.
    /// </summary>
    public TimeSpan Step
    {
        get
        {
            TimeSpan[] steps =
            [
                TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
                TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
                TimeSpan.FromHours(12), TimeSpan.FromDays(1),
            ];
            foreach (var step in steps)
            {
                if (Window / step <= MaxBuckets)
                {
                    return step;
                }
            }

            // Longer than MaxBuckets days: whole days, still at most MaxBuckets buckets.
            return TimeSpan.FromDays(Math.Ceiling(Window.TotalDays / MaxBuckets));
        }
    }

    /// <summary>The range, or a <see cref="ReportFailure"/> with <see cref="ExitCodes.InvalidRange"/>.</summary>
    public static ReportRange Create(DateTimeOffset from, DateTimeOffset to)
    {
        if (from > to)
        {
            throw new ReportFailure(ExitCodes.InvalidRange, $"--from {ReportTime.Format(from)} is after --to {ReportTime.Format(to)}");
        }

        if (from == to)
        {
            throw new ReportFailure(ExitCodes.InvalidRange, $"empty range: --from and --to are both {ReportTime.Format(from)}");
        }

        return new ReportRange(from.ToUniversalTime(), to.ToUniversalTime());
    }
}
