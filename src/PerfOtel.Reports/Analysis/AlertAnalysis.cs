using PerfOtel.Reports.Data;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// The alert history of a period from its firing episodes: how many fired (episodes that started in the period), by
/// severity, the time spent firing within the period, and the time to resolve (start to end of resolved episodes).
/// </summary>
internal static class AlertAnalysis
{
    public static AlertSummary Summarize(IReadOnlyList<AlertEpisode> episodes, ReportRange range)
    {
        var previous = range.Previous;
        static bool In(DateTimeOffset t, ReportRange r) => t > r.From && t <= r.To;
        static TimeSpan Overlap(AlertEpisode e, ReportRange r)
        {
            var start = e.Start > r.From ? e.Start : r.From;
            var end = e.End < r.To ? e.End : r.To;
            return end > start ? end - start : TimeSpan.Zero;
        }

        var alerts = episodes
            .GroupBy(e => (e.AlertName, e.Severity))
            .Select(g =>
            {
                var fired = g.Where(e => In(e.Start, range)).ToList();
                var resolved = fired.Where(e => e.Resolved).Select(e => e.Duration).ToList();
                return new AlertStats(
                    g.Key.AlertName,
                    g.Key.Severity,
                    fired.Count,
                    g.Count(e => In(e.Start, previous)),
                    TimeSpan.FromTicks(g.Sum(e => Overlap(e, range).Ticks)),
                    resolved.Count > 0 ? TimeSpan.FromTicks((long)resolved.Average(d => d.Ticks)) : null,
                    resolved.Count > 0 ? resolved.Max() : null,
                    g.Count(e => !e.Resolved));
            })
            .Where(a => a.Fired > 0 || a.PreviousFired > 0 || a.FiringTime > TimeSpan.Zero)
            .OrderByDescending(a => a.FiringTime).ThenBy(a => a.AlertName, StringComparer.Ordinal)
            .ToList();

        var bySeverity = alerts
            .GroupBy(a => a.Severity)
            .Select(g => new SeverityStats(g.Key, g.Sum(a => a.Fired), g.Sum(a => a.PreviousFired), TimeSpan.FromTicks(g.Sum(a => a.FiringTime.Ticks))))
            .OrderBy(s => SeverityRank(s.Severity)).ThenBy(s => s.Severity, StringComparer.Ordinal)
            .ToList();
        return new AlertSummary(bySeverity, alerts);
    }

    private static int SeverityRank(string severity) => severity switch
    {
        "critical" => 0,
        "warning" => 1,
        "info" => 2,
        _ => 3,
    };
}
