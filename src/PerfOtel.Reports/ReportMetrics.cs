namespace PerfOtel.Reports;

/// <summary>
/// Every metric and label name the reports read, in one place. Names are those of docs/ARCHITECTURE.md; a test of
/// the live stack (PerfOtel.Stack.Tests) checks that each of <see cref="All"/> exists there.
/// </summary>
internal static class ReportMetrics
{
    // Agent runs (histogram; counts are _count, run time is _sum).
    public const string RunDurationBucket = "agent_run_duration_seconds_bucket";
    public const string RunDurationCount = "agent_run_duration_seconds_count";
    public const string RunDurationSum = "agent_run_duration_seconds_sum";

    // Phases of runs (histogram).
    public const string PhaseDurationSum = "agent_run_phase_duration_seconds_sum";
    public const string PhaseDurationCount = "agent_run_phase_duration_seconds_count";

    // Estimates: speedup = estimate / actual.
    public const string EstimateSeconds = "agent_run_estimate_duration_seconds_total";
    public const string EstimateActualSeconds = "agent_run_estimate_actual_duration_seconds_total";

    // Per-run counters.
    public const string Blockers = "agent_run_blockers_total";
    public const string LinesDelivered = "agent_run_lines_delivered_total";
    public const string Retries = "agent_run_retries_total";

    // LLM calls (histogram) and tokens (histogram; totals are _sum by gen_ai_token_type).
    public const string LlmDurationBucket = "gen_ai_client_operation_duration_seconds_bucket";
    public const string LlmDurationCount = "gen_ai_client_operation_duration_seconds_count";
    public const string LlmDurationSum = "gen_ai_client_operation_duration_seconds_sum";
    public const string TokenUsageSum = "gen_ai_client_token_usage_sum";

    // Cost and budgets.
    public const string CostUsd = "agent_llm_cost_usd_total";
    public const string UnpricedTokens = "agent_llm_unpriced_tokens_total";
    public const string BudgetLimitUsd = "agent_budget_limit_usd";

    // Alert history, written by Prometheus' rule evaluation.
    public const string Alerts = "ALERTS";

    // Labels.
    public const string Agent = "gen_ai_agent_name";
    public const string Team = "agent_team";
    public const string Outcome = "agent_run_outcome";
    public const string ErrorType = "error_type";
    public const string Phase = "agent_run_phase";
    public const string Provider = "gen_ai_provider_name";
    public const string Model = "gen_ai_request_model";
    public const string TokenType = "gen_ai_token_type";
    public const string BudgetScope = "budget_scope";
    public const string BudgetName = "budget_name";
    public const string BudgetPeriod = "budget_period";
    public const string AlertName = "alertname";
    public const string AlertState = "alertstate";
    public const string Severity = "severity";
    public const string Le = "le";

    // Label values.
    public const string SuccessOutcome = "success";
    public const string FiringState = "firing";

    /// <summary>Every metric name the reports query (<c>ALERTS</c> exists only once an alert has been pending or firing).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        RunDurationBucket, RunDurationCount, RunDurationSum, PhaseDurationSum, PhaseDurationCount,
        EstimateSeconds, EstimateActualSeconds, Blockers, LinesDelivered, Retries,
        LlmDurationBucket, LlmDurationCount, LlmDurationSum, TokenUsageSum,
        CostUsd, UnpricedTokens, BudgetLimitUsd, Alerts,
    ];
}
