using PerfOtel.AlertQuality.History;
using PerfOtel.AlertQuality.Prometheus;

namespace PerfOtel.AlertQuality.Evaluation;

/// <summary>
/// Writes the ALERTS and ALERTS_FOR_STATE series a live Prometheus would have written for the given activations
/// (pending and firing, one sample per evaluation), so that alerts that read alert state (escalation) can be
/// evaluated over the history in a second round. A NaN sample at each resolution stands in for the staleness marker
/// a live Prometheus writes.
/// </summary>
internal static class AlertStateBackfill
{
    public static async Task<long> WriteAsync(string path, HistoryClock clock, IEnumerable<(AlertActivation Activation, int Step)> activations, CancellationToken cancellationToken)
    {
        var bySeries = activations
            .GroupBy(a => (a.Activation.Alert, a.Activation.LabelText, a.Activation.Severity))
            .Select(g => g.OrderBy(a => a.Activation.ActiveAt).ToList())
            .ToList();
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new OpenMetricsWriter(stream, clock.TimeAt, clock.Steps);
        writer.WriteText("# TYPE ALERTS gauge\n");
        foreach (var state in new[] { "pending", "firing" })
        {
            foreach (var series in bySeries)
            {
                var first = series[0].Activation;
                var prefix = OpenMetricsWriter.Prefix("ALERTS", Labels(first, state));
                foreach (var (a, step) in series)
                {
                    var (from, to) = state == "pending" ? (a.ActiveAt, a.FiringFrom ?? a.ResolvedAt) : (a.FiringFrom ?? a.ResolvedAt, a.ResolvedAt);
                    for (var t = from; t < to; t += step)
                    {
                        writer.SampleAt(prefix, 1, t);
                    }

                    if (from < to)
                    {
                        writer.SampleAt(prefix, double.NaN, to);
                    }
                }
            }
        }

        writer.WriteText("# TYPE ALERTS_FOR_STATE gauge\n");
        foreach (var series in bySeries)
        {
            var prefix = OpenMetricsWriter.Prefix("ALERTS_FOR_STATE", Labels(series[0].Activation, null));
            foreach (var (a, step) in series)
            {
                for (var t = a.ActiveAt; t < a.ResolvedAt; t += step)
                {
                    writer.SampleAt(prefix, a.ActiveAt, t);
                }

                // Backfilled blocks have no staleness markers: without this, the series would stay visible for the
                // 5-minute lookback after the alert resolved, and "time() - ALERTS_FOR_STATE > N" with it. NaN fails
                // every comparison, as an absent series would.
                writer.SampleAt(prefix, double.NaN, a.ResolvedAt);
            }
        }

        writer.End();
        return writer.Samples;
    }

    private static string Labels(AlertActivation a, string? state)
    {
        var labels = new SortedDictionary<string, string>(a.Labels, StringComparer.Ordinal) { ["alertname"] = a.Alert };
        if (state is not null)
        {
            labels["alertstate"] = state;
        }

        return RangeSeries.LabelKey(labels);
    }
}
