namespace PerfOtel.Reports;

/// <summary>
/// Process exit codes of <c>perfotel-reports</c>. Every failure prints one line on stderr; the code tells a
/// scheduler what kind of failure it was (retry on 4/5, fix the invocation on 2/3, look at the stack on 6).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The report was written (its path is printed on stdout), or help/version was shown.</summary>
    public const int Ok = 0;

    /// <summary>A bug: an exception nobody expected. The line names its type.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line is wrong: unknown option, missing value, unparsable time or URL.</summary>
    public const int Usage = 2;

    /// <summary>The times parse but do not make a range: <c>--from</c> is after <c>--to</c>, or equal to it.</summary>
    public const int InvalidRange = 3;

    /// <summary>No answer from Prometheus: connection refused, unknown host, timeout.</summary>
    public const int PrometheusUnreachable = 4;

    /// <summary>Prometheus answered with an error (HTTP error status, <c>"status":"error"</c>, unreadable body).</summary>
    public const int PrometheusError = 5;

    /// <summary>Prometheus has no agent or LLM metrics at all in the range: nothing to report, nothing written.</summary>
    public const int NoData = 6;

    /// <summary>The report could not be written to the output folder.</summary>
    public const int OutputFailed = 7;

    /// <summary>The report was written, but posting its summary (<c>--post-to</c>) failed.</summary>
    public const int PostFailed = 8;

    /// <summary>Interrupted (Ctrl+C / SIGTERM), the shell convention 128 + SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The summary shown at the end of <c>--help</c>.</summary>
    public const string HelpText =
        "Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 invalid range, 4 Prometheus unreachable, " +
        "5 Prometheus error, 6 no data in range, 7 cannot write output, 8 summary not posted, 130 cancelled.";
}
