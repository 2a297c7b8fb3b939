using System.Globalization;
using System.Text;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;
using static PerfOtel.Reports.ReportMetrics;

namespace PerfOtel.Reports.Status;

/// <summary>An agent that needs attention now: failures first, then slowness.</summary>
internal sealed record Offender(string Agent, double Runs, double FailedRuns, double? SuccessRatio, double? P95Seconds, double LlmCalls, double FailedLlmCalls);

internal sealed record FiringAlert(string Name, string Severity, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Health now, from four queries over the last <c>--window</c>: a score, the firing alerts and the top offenders.
/// Score = 100 × (0.6 × run success ratio + 0.4 × (1 − LLM error ratio)) − 20 per critical, 10 per warning and 2 per
/// other firing alert, clamped to 0..100; a ratio without runs or calls counts as 1.
/// </summary>
internal sealed record HealthStatus(
    DateTimeOffset At, TimeSpan Window, string Source, int? Score, double? SuccessRatio, double? LlmErrorRatio, double Runs, double LlmCalls,
    IReadOnlyList<FiringAlert> Alerts, IReadOnlyList<Offender> Offenders)
{
    public const int MaxOffenders = 5;

    public static async Task<HealthStatus> ReadAsync(PrometheusClient prometheus, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var w = PromQl.Duration(window);
        var runsTask = prometheus.QueryAsync(ReportQueries.Runs(w), at, cancellationToken);
        var bucketsTask = prometheus.QueryAsync(ReportQueries.RunBuckets(w), at, cancellationToken);
        var callsTask = prometheus.QueryAsync(ReportQueries.LlmCalls(w), at, cancellationToken);
        var alertsTask = prometheus.QueryAsync($"{ReportMetrics.Alerts}{{{AlertState}=\"{FiringState}\"}}", at, cancellationToken);
        await Task.WhenAll(runsTask, bucketsTask, callsTask, alertsTask);
        var (buckets, _) = PeriodReader.Buckets(bucketsTask.Result);

        var agents = runsTask.Result.Select(s => s.Label(Agent)).Union(callsTask.Result.Select(s => s.Label(Agent))).Distinct().ToList();
        var offenders = agents.Select(a =>
        {
            var runs = runsTask.Result.Where(s => s.Label(Agent) == a).ToList();
            var calls = callsTask.Result.Where(s => s.Label(Agent) == a).ToList();
            var n = runs.Sum(s => s.Value);
            var ok = runs.Where(s => s.Label(Outcome) == SuccessOutcome).Sum(s => s.Value);
            double? p95 = buckets.TryGetValue(a, out var counts) ? PeriodReader.Quantile(HistogramQuantile.Of(0.95, counts)) : null;
            return new Offender(a, n, n - ok, n > 0 ? ok / n : null, p95,
                calls.Sum(s => s.Value), calls.Where(s => s.Label(ErrorType).Length > 0).Sum(s => s.Value));
        }).ToList();

        var alerts = alertsTask.Result
            .Select(s => new FiringAlert(s.Label(AlertName), s.Label(Severity), s.Labels.Where(kv => kv.Key is not ("__name__" or AlertName or AlertState or Severity)).ToDictionary(kv => kv.Key, kv => kv.Value)))
            .OrderBy(a => a.Severity == "critical" ? 0 : a.Severity == "warning" ? 1 : 2).ThenBy(a => a.Name, StringComparer.Ordinal)
            .ToList();

        var totalRuns = offenders.Sum(o => o.Runs);
        var totalCalls = offenders.Sum(o => o.LlmCalls);
        double? success = totalRuns > 0 ? (totalRuns - offenders.Sum(o => o.FailedRuns)) / totalRuns : null;
        double? llmErrors = totalCalls > 0 ? offenders.Sum(o => o.FailedLlmCalls) / totalCalls : null;
        int? score = null;
        if (totalRuns > 0 || totalCalls > 0 || alerts.Count > 0)
        {
            var penalty = alerts.Sum(a => a.Severity switch { "critical" => 20, "warning" => 10, _ => 2 });
            score = (int)Math.Clamp(Math.Round((100 * ((0.6 * (success ?? 1)) + (0.4 * (1 - (llmErrors ?? 0))))) - penalty), 0, 100);
        }

        var top = offenders
            .OrderByDescending(o => o.FailedRuns + o.FailedLlmCalls).ThenByDescending(o => o.P95Seconds ?? 0).ThenBy(o => o.Agent, StringComparer.Ordinal)
            .Take(MaxOffenders)
            .ToList();
        return new HealthStatus(at, window, prometheus.DisplayUrl, score, success, llmErrors, totalRuns, totalCalls, alerts, top);
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("PerfOtel status at ").Append(ReportTime.Format(At)).Append(" (last ").Append(ReportTime.FormatSpan(Window)).Append("), Prometheus at ").Append(Source).Append('\n');
        text.Append("Health score: ").Append(Score?.ToString(CultureInfo.InvariantCulture) ?? KpiFormat.NoValue).Append("/100")
            .Append(" (runs ").Append(KpiFormat.Count(Runs)).Append(", success ").Append(KpiFormat.Ratio(SuccessRatio))
            .Append("; LLM calls ").Append(KpiFormat.Count(LlmCalls)).Append(", errors ").Append(KpiFormat.Ratio(LlmErrorRatio))
            .Append("; firing alerts ").Append(Alerts.Count.ToString(CultureInfo.InvariantCulture)).Append(")\n");

        text.Append('\n').Append(Alerts.Count == 0 ? "Firing alerts: none\n" : "Firing alerts:\n");
        foreach (var a in Alerts)
        {
            text.Append("  ").Append((a.Severity.Length == 0 ? "-" : a.Severity).PadRight(9)).Append(a.Name);
            if (a.Labels.Count > 0)
            {
                text.Append("  {").Append(string.Join(", ", a.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))).Append('}');
            }

            text.Append('\n');
        }

        text.Append('\n').Append(Offenders.Count == 0 ? "Top offenders: none\n" : "Top offenders:\n");
        if (Offenders.Count > 0)
        {
            var width = Math.Max(5, Offenders.Max(o => KpiFormat.Agent(o.Agent).Length));
            text.Append("  ").Append("agent".PadRight(width)).Append("  failed runs  success   p95 run    LLM errors\n");
            foreach (var o in Offenders)
            {
                text.Append("  ").Append(OneLine(KpiFormat.Agent(o.Agent)).PadRight(width))
                    .Append("  ").Append($"{KpiFormat.Count(o.FailedRuns)}/{KpiFormat.Count(o.Runs)}".PadLeft(11))
                    .Append("  ").Append(KpiFormat.Ratio(o.SuccessRatio).PadLeft(7))
                    .Append("  ").Append(KpiFormat.Seconds(o.P95Seconds).PadLeft(9))
                    .Append("  ").Append($"{KpiFormat.Count(o.FailedLlmCalls)}/{KpiFormat.Count(o.LlmCalls)}".PadLeft(10)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Label values come from agents: no control characters reach the terminal.</summary>
    private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
