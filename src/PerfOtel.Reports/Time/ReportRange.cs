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
