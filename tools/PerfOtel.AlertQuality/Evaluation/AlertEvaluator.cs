using PerfOtel.AlertQuality.Prometheus;
using PerfOtel.AlertQuality.Rules;

namespace PerfOtel.AlertQuality.Evaluation;

/// <summary>
/// One activation of an alert for one label set: pending from <see cref="ActiveAt"/>, firing from
/// <see cref="FiringFrom"/> (null: resolved before its <c>for:</c> elapsed), resolved at <see cref="ResolvedAt"/>
/// (the first evaluation without it, or when keep_firing_for ran out).
/// </summary>
internal sealed record AlertActivation(
    string Alert,
    string Severity,
    SortedDictionary<string, string> Labels,
    long ActiveAt,
    long? FiringFrom,
    long ResolvedAt)
{
    public bool Fired => FiringFrom is not null;

    public string LabelText => RangeSeries.LabelKey(Labels.Where(l => l.Key != "severity"));
}

/// <summary>
/// Evaluates alert rules as Prometheus' rule manager does, over a whole range: the expression at every evaluation
/// (one query_range with the group's interval), each returned label set active while it is returned, firing once
/// active for <c>for:</c>, resolved at the first evaluation without it (or keep_firing_for later).
/// </summary>
internal static class AlertEvaluator
{
    public static async Task<IReadOnlyList<AlertActivation>> EvaluateAsync(Rule rule, PrometheusApi api, long start, long end, CancellationToken cancellationToken)
    {
        var step = rule.IntervalSeconds;
        var from = EvaluationSchedule.First(rule, start);
        var result = await api.QueryRangeAsync(rule.Expr, from, end, step, cancellationToken);
        var activations = new List<AlertActivation>();
        foreach (var series in result)
        {
            var labels = new SortedDictionary<string, string>(series.Labels, StringComparer.Ordinal);
            foreach (var (k, v) in rule.Labels)
            {
                labels[k] = v;
            }

            labels.Remove("alertname");
            activations.AddRange(Activations(rule, labels, series.Times, step, end));
        }

        // Two series can map to one label set after the rule's labels are applied; Prometheus errors then. Keep them.
        return activations;
    }

    /// <summary>Runs of consecutive evaluations, merged across gaps shorter than keep_firing_for once firing.</summary>
    public static IEnumerable<AlertActivation> Activations(Rule rule, SortedDictionary<string, string> labels, IReadOnlyList<long> times, int step, long end)
    {
        var i = 0;
        while (i < times.Count)
        {
            var activeAt = times[i];
            long? firing = null;
            var last = times[i];
            for (; i < times.Count; i++)
            {
                var t = times[i];
                if (t != activeAt && t - last > step)
                {
                    // A gap: the alert was resolved, unless it was firing and keep_firing_for covers the gap.
                    if (!(firing is not null && rule.KeepFiringForSeconds > 0 && t - last <= rule.KeepFiringForSeconds + step))
                    {
                        break;
                    }
                }

                last = t;
                if (firing is null && t - activeAt >= rule.ForSeconds)
                {
                    firing = t;
                }
            }

            var resolved = firing is not null && rule.KeepFiringForSeconds > 0
                ? Math.Min(end + step, last + rule.KeepFiringForSeconds + step)
                : last + step;
            yield return new AlertActivation(rule.Alert!, rule.Severity, labels, activeAt, firing, resolved);
        }
    }
}
