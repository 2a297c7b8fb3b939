using PerfOtel.Reports.Prometheus;

namespace PerfOtel.Reports.Kpis;

/// <summary>
/// The PromQL behind each KPI, evaluated at the range's end with the window = the range's length. Each
/// counter series is turned into its increase first (<see cref="PromQl.ExactIncrease"/>) and only then summed
/// <c>by</c> the labels the KPI needs, which also adds up replicas (<c>instance</c>, <c>job</c>) and scope labels.
/// Metric and label names are those of docs/ARCHITECTURE.md.
/// </summary>
internal static class KpiQueries
{
    public const string AgentLabel = "gen_ai_agent_name";
    public const string OutcomeLabel = "agent_run_outcome";
    public const string SuccessOutcome = "success";
    public const string ErrorTypeLabel = "error_type";
    public const string TokenTypeLabel = "gen_ai_token_type";

    /// <summary>Finished runs per agent and outcome.</summary>
    public static string Runs(string window) =>
        $"sum by ({AgentLabel}, {OutcomeLabel}) ({PromQl.ExactIncrease("agent_run_duration_seconds_count", window)})";

    /// <summary>p95 run duration per agent, from the buckets' increases over the range.</summary>
    public static string RunDurationP95ByAgent(string window) => RunDurationP95(window, $"{AgentLabel}, le");

    /// <summary>p95 run duration over all agents' runs.</summary>
    public static string RunDurationP95Total(string window) => RunDurationP95(window, "le");

    /// <summary>LLM calls per agent and error type (<c>error_type</c> is absent on calls that succeeded).</summary>
    public static string LlmCalls(string window) =>
        $"sum by ({AgentLabel}, {ErrorTypeLabel}) ({PromQl.ExactIncrease("gen_ai_client_operation_duration_seconds_count", window)})";

    /// <summary>Tokens per agent and token type: the token histogram's <c>_sum</c>.</summary>
    public static string Tokens(string window) =>
        $"sum by ({AgentLabel}, {TokenTypeLabel}) ({PromQl.ExactIncrease("gen_ai_client_token_usage_sum", window)})";

    private static string RunDurationP95(string window, string by) =>
        $"histogram_quantile(0.95, sum by ({by}) ({PromQl.ExactIncrease("agent_run_duration_seconds_bucket", window)}))";
}
