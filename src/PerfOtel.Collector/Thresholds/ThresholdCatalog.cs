using System.Collections.Frozen;

namespace PerfOtel.Collector.Thresholds;

/// <summary>
/// The alert thresholds operators may set, with built-in defaults. Alert rules read them as the series
/// <c>perfotel_alert_threshold{threshold=NAME[, gen_ai_agent_name=AGENT]}</c>, so changing a threshold is an edit of
/// the thresholds file, never of PromQL.
/// </summary>
public static class ThresholdCatalog
{
    public static readonly FrozenDictionary<string, double> Defaults = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["llm_error_ratio"] = 0.05,
        ["llm_p95_latency_seconds"] = 30,
        ["run_success_ratio_min"] = 0.80,
        ["run_duration_vs_7d_avg_factor"] = 2,
        ["blocked_run_streak"] = 3,
        ["queue_backlog_growth_per_hour"] = 50,
        ["health_score_min"] = 0.8,
        ["host_cpu_utilisation_max"] = 0.9,
        ["host_memory_utilisation_max"] = 0.9,
        ["host_disk_utilisation_max"] = 0.85,
        ["anomaly_zscore"] = 3,
        ["run_success_slo"] = 0.95,
        ["warning_escalation_seconds"] = 3600,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Thresholds that make no sense per agent (host and fleet-wide ones).</summary>
    public static readonly FrozenSet<string> FleetWide =
        new[] { "host_cpu_utilisation_max", "host_memory_utilisation_max", "host_disk_utilisation_max", "health_score_min", "warning_escalation_seconds" }.ToFrozenSet(StringComparer.Ordinal);
}
