using System.Text.RegularExpressions;
using PerfOtel.AlertQuality.Prometheus;

namespace PerfOtel.AlertQuality.Rules;

/// <summary>
/// Recording rules that read their own previous value (accumulators) cannot be backfilled by querying (the query
/// sees no previous value: promtool backfills only their fallback branch). Known ones are replayed here, evaluation
/// by evaluation, from their recorded inputs, exactly as a live Prometheus would compute them.
/// </summary>
internal static partial class SelfReferencingRules
{
    public const string PeriodToDate = "budget:agent_llm_cost_usd:period_to_date";

    // The expression the replay below implements (whitespace collapsed). A different expression is still replayed,
    // with a warning in the report: the replay may no longer match the rule.
    private const string PeriodToDateExpr =
        "( budget:agent_llm_cost_usd:period_to_date + budget:agent_llm_cost_usd:rate5m * clamp_max(time() - timestamp(budget:agent_llm_cost_usd:period_to_date), 300) ) " +
        "and (timestamp(budget:agent_llm_cost_usd:period_to_date) >= budget:agent_budget_period_start_timestamp_seconds:max) " +
        "unless (budget:agent_budget_period_start_timestamp_seconds:max != budget:agent_budget_period_start_timestamp_seconds:max offset 2m) " +
        "or budget:agent_llm_cost_usd:rate6h * (time() - budget:agent_budget_period_start_timestamp_seconds:max)";

    private const int LookbackSeconds = 300;

    /// <summary>How long after the start timestamp changes the value is the estimate (the rule's offset).</summary>
    private const int StartChangeSeconds = 120;

    public static bool CanReplay(string record) => record == PeriodToDate;

    /// <summary>A warning when the rule's expression is not the one the replay implements.</summary>
    public static string? Mismatch(Rule rule) =>
        Collapse(rule.Expr) == Collapse(PeriodToDateExpr)
            ? null
            : $"{rule.Record}: the expression differs from the one the backfill replays (Rules/SelfReferencingRules.cs); its values may not be what Prometheus records";

    /// <summary>
    /// period_to_date at every evaluation: previous value + rate5m x (time since it, at most 5 minutes) while the
    /// previous value is visible (5-minute lookback) and from this period, and the period start did not change in
    /// the last 2 minutes; otherwise rate6h x time since the period start.
    /// </summary>
    public static async Task<IReadOnlyList<RangeSeries>> ReplayAsync(Rule rule, PrometheusApi api, long start, long end, CancellationToken cancellationToken)
    {
        var step = rule.IntervalSeconds;
        var rate5m = Index(await api.QueryRangeAsync("budget:agent_llm_cost_usd:rate5m", start, end, step, cancellationToken));
        var rate6h = Index(await api.QueryRangeAsync("budget:agent_llm_cost_usd:rate6h", start, end, step, cancellationToken));
        var periodStart = Index(await api.QueryRangeAsync("budget:agent_budget_period_start_timestamp_seconds:max", start, end, step, cancellationToken));
        var result = new List<RangeSeries>();
        foreach (var key in rate6h.Keys.Concat(rate5m.Keys).Distinct(StringComparer.Ordinal))
        {
            var labels = rate6h.TryGetValue(key, out var slowSeries) ? slowSeries.Labels : rate5m[key].Labels;
            var series = new RangeSeries(new SortedDictionary<string, string>(labels, StringComparer.Ordinal), rule.Record);
            double? previous = null;
            long previousAt = 0;
            for (var t = start; t <= end; t += step)
            {
                var r5 = Value(rate5m, key, t);
                var r6 = Value(rate6h, key, t);
                var s = Value(periodStart, key, t);
                double? v = null;
                if (previous is { } p && t - previousAt <= LookbackSeconds && r5 is { } fast && s is { } from && previousAt >= from
                    && !(Value(periodStart, key, t - StartChangeSeconds) is { } before && before != from))
                {
                    v = p + (fast * Math.Min(t - previousAt, LookbackSeconds));
                }
                else if (r6 is { } slow && s is { } periodFrom)
                {
                    v = slow * (t - periodFrom);
                }

                if (v is { } value)
                {
                    series.Times.Add(t);
                    series.Values.Add(value);
                    previous = value;
                    previousAt = t;
                }
            }

            result.Add(series);
        }

        return result;
    }

    private static Dictionary<string, (SortedDictionary<string, string> Labels, Dictionary<long, double> Points)> Index(IReadOnlyList<RangeSeries> series) =>
        series.ToDictionary(s => s.Key, s => (s.Labels, s.Times.Zip(s.Values).ToDictionary(p => p.First, p => p.Second)), StringComparer.Ordinal);

    private static double? Value(Dictionary<string, (SortedDictionary<string, string> Labels, Dictionary<long, double> Points)> index, string key, long t) =>
        index.TryGetValue(key, out var s) && s.Points.TryGetValue(t, out var v) ? v : null;

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
