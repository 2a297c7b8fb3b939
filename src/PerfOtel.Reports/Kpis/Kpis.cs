namespace PerfOtel.Reports.Kpis;

/// <summary>The KPIs of one agent, or of all agents together, over a report's range.</summary>
/// <param name="Runs">Agent runs that finished in the range (any outcome).</param>
/// <param name="SuccessfulRuns">Runs with <c>agent_run_outcome="success"</c>.</param>
/// <param name="P95RunDurationSeconds">95th percentile of run duration from the histogram buckets; null without runs.</param>
/// <param name="LlmCalls">LLM client operations (any result).</param>
/// <param name="FailedLlmCalls">LLM client operations with an <c>error_type</c>.</param>
/// <param name="TokensByType">Token totals by <c>gen_ai_token_type</c> (<c>input</c>, <c>output</c>, ...).</param>
internal sealed record KpiValues(
    double Runs,
    double SuccessfulRuns,
    double? P95RunDurationSeconds,
    double LlmCalls,
    double FailedLlmCalls,
    IReadOnlyDictionary<string, double> TokensByType)
{
    public double? SuccessRatio => Runs > 0 ? SuccessfulRuns / Runs : null;

    public double? LlmErrorRatio => LlmCalls > 0 ? FailedLlmCalls / LlmCalls : null;

    public double Tokens(string type) => TokensByType.TryGetValue(type, out var n) ? n : 0;
}

/// <summary>One agent's KPIs; <see cref="Agent"/> is the <c>gen_ai_agent_name</c> ("" when a series has none).</summary>
internal sealed record AgentKpis(string Agent, KpiValues Values);

/// <summary>All KPIs of a report: the total over every agent and replica, and one row per agent.</summary>
/// <param name="TokenTypes">Every token type seen, <c>input</c> and <c>output</c> first: the token columns.</param>
internal sealed record KpiReport(KpiValues Total, IReadOnlyList<AgentKpis> Agents, IReadOnlyList<string> TokenTypes)
{
    /// <summary>True when Prometheus had no agent or LLM series at all in the range (not merely zero activity).</summary>
    public bool IsEmpty => Agents.Count == 0;
}
