using PerfOtel.Reports.Prometheus;
using static PerfOtel.Reports.ReportMetrics;

namespace PerfOtel.Reports.Data;

/// <summary>
/// Turns the raw samples of <c>ALERTS{alertstate="firing"}</c> into firing episodes. Prometheus writes a sample per
/// rule evaluation while an alert fires and none once it resolved, so a gap longer than
/// <see cref="GapFactor"/> evaluation intervals separates two episodes.
/// </summary>
internal static class AlertEpisodes
{
    public const double GapFactor = 2.5;

    public static List<AlertEpisode> From(IReadOnlyList<PrometheusRangeSeries> alerts, DateTimeOffset end)
    {
        // The evaluation interval: the shortest distance between two samples of any alert (1 min when unknown).
        var interval = TimeSpan.MaxValue;
        foreach (var s in alerts)
        {
            for (var i = 1; i < s.Samples.Count; i++)
            {
                var d = s.Samples[i].Time - s.Samples[i - 1].Time;
                if (d > TimeSpan.Zero && d < interval)
                {
                    interval = d;
                }
            }
        }

        if (interval == TimeSpan.MaxValue)
        {
            interval = TimeSpan.FromMinutes(1);
        }

        var gap = interval * GapFactor;
        var episodes = new List<AlertEpisode>();
        foreach (var s in alerts)
        {
            var labels = s.Labels.Where(kv => kv.Key is not ("__name__" or AlertState)).ToDictionary(kv => kv.Key, kv => kv.Value);
            var samples = s.Samples.Where(x => x.Value > 0).ToList();
            var i = 0;
            while (i < samples.Count)
            {
                var start = samples[i].Time;
                var last = start;
                while (i + 1 < samples.Count && samples[i + 1].Time - last <= gap)
                {
                    last = samples[++i].Time;
                }

                i++;
                // Firing during each evaluation interval that began with a firing sample.
                var stop = last + interval;
                var resolved = end - last > gap;
                episodes.Add(new AlertEpisode(s.Label(AlertName), s.Label(Severity), labels, start, resolved ? stop : end, resolved));
            }
        }

        return episodes.OrderBy(e => e.Start).ThenBy(e => e.AlertName, StringComparer.Ordinal).ToList();
    }
}
