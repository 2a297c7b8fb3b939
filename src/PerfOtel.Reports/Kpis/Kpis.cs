namespace PerfOtel.Reports.Kpis;

/// <summary>The KPIs of one agent, or of all agents together, over one period.</summary>
internal sealed record KpiValues
{
    public static KpiValues Empty { get; } = new();

    /// <summary>Agent runs that finished in the period (any outcome).</summary>
    public double Runs { get; init; }

    /// <summary>Runs with <c>agent_run_outcome="success"</c>.</summary>
    public double SuccessfulRuns { get; init; }

    /// <summary>Median run duration from the histogram buckets; null without runs.</summary>
    public double? P50RunDurationSeconds { get; init; }

    /// <summary>95th percentile of run duration from the histogram buckets; null without runs.</summary>
    public double? P95RunDurationSeconds { get; init; }

    /// <summary>Total run time (the run histogram's <c>_sum</c>).</summary>
    public double RunSeconds { get; init; }

    /// <summary>LLM client operations (any result).</summary>
    public double LlmCalls { get; init; }

    /// <summary>LLM client operations with an <c>error_type</c>.</summary>
    public double FailedLlmCalls { get; init; }

    /// <summary>Token totals by <c>gen_ai_token_type</c> (<c>input</c>, <c>output</c>, and their parts).</summary>
    public IReadOnlyDictionary<string, double> TokensByType { get; init; } = new Dictionary<string, double>();

    /// <summary>USD spent on model calls.</summary>
    public double CostUsd { get; init; }

    /// <summary>Estimated seconds of the runs that had an estimate.</summary>
    public double EstimateSeconds { get; init; }

    /// <summary>Actual seconds of those same runs.</summary>
    public double EstimateActualSeconds { get; init; }

    public double Blockers { get; init; }

    public double LinesDelivered { get; init; }

    public double Retries { get; init; }

    public double? SuccessRatio => Runs > 0 ? SuccessfulRuns / Runs : null;

    public double FailedRuns => Runs - SuccessfulRuns;

    public double? LlmErrorRatio => LlmCalls > 0 ? FailedLlmCalls / LlmCalls : null;

    /// <summary>Estimate / actual: above 1, the agents were faster than estimated.</summary>
    public double? Speedup => EstimateActualSeconds > 0 ? EstimateSeconds / EstimateActualSeconds : null;

    public double? CostPerSuccessfulRun => SuccessfulRuns > 0 ? CostUsd / SuccessfulRuns : null;

    public double Tokens(string type) => TokensByType.TryGetValue(type, out var n) ? n : 0;
}

/// <summary>One agent's KPIs; <see cref="Agent"/> is the <c>gen_ai_agent_name</c> ("" when a series has none).</summary>
internal sealed record AgentKpis(string Agent, KpiValues Values);

/// <summary>All KPIs of a period: the total over every agent and replica, and one row per agent.</summary>
/// <param name="TokenTypes">Every token type seen, <c>input</c> and <c>output</c> first: the token columns.</param>
internal sealed record KpiReport(KpiValues Total, IReadOnlyList<AgentKpis> Agents, IReadOnlyList<string> TokenTypes)
{
    public static KpiReport Empty { get; } = new(KpiValues.Empty, [], []);

    /// <summary>True when Prometheus had no agent or LLM series at all in the period (not merely zero activity).</summary>
    public bool IsEmpty => Agents.Count == 0;

    public KpiValues For(string agent) => Agents.FirstOrDefault(a => a.Agent == agent)?.Values ?? KpiValues.Empty;
}
