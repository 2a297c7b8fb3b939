using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Data;

/// <summary>Calls to one model made by one agent, and what they cost.</summary>
internal sealed record ModelUsage(string Agent, string Provider, string Model, double Calls, double FailedCalls, double CostUsd)
{
    public double? SuccessRatio => Calls > 0 ? (Calls - FailedCalls) / Calls : null;

    public double? CostPerCall => Calls > 0 ? CostUsd / Calls : null;
}

/// <summary>USD by model, agent and team (one row per combination that had a cost).</summary>
internal sealed record CostRow(string Provider, string Model, string Agent, string Team, double Usd);

/// <summary>Seconds spent in one phase by one agent's runs.</summary>
internal sealed record PhaseTime(string Agent, string Phase, double Seconds);

/// <summary>Latency of one model's calls.</summary>
internal sealed record ModelLatency(string Provider, string Model, double? P95Seconds, double Seconds);

/// <summary>Tokens of a model without a price in the pricing catalog.</summary>
internal sealed record UnpricedUsage(string Provider, string Model, string TokenType, double Tokens);

/// <summary>What was measured in one period (the report's, or the one before it).</summary>
internal sealed record PeriodData(
    ReportRange Range,
    KpiReport Kpis,
    IReadOnlyList<ModelUsage> Models,
    IReadOnlyList<CostRow> Costs,
    IReadOnlyList<PhaseTime> Phases,
    IReadOnlyList<ModelLatency> Latencies);

/// <summary>A budget and what was spent against it in its period containing the report's end.</summary>
/// <param name="Scope"><c>team</c> or <c>agent</c>.</param>
/// <param name="Period"><c>daily</c> or <c>monthly</c> (UTC calendar periods).</param>
internal sealed record BudgetStatus(
    string Scope, string Name, string Period, double LimitUsd, double SpentUsd, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);

/// <summary>One firing episode of an alert: from its first to its last firing sample.</summary>
/// <param name="Resolved">False when it was still firing at the end of the data.</param>
internal sealed record AlertEpisode(
    string AlertName, string Severity, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Start, DateTimeOffset End, bool Resolved)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>
/// Values per bucket over the previous and the current period together (<see cref="Ends"/>: each bucket's end;
/// a bucket is (end - step, end]). Counts that had no series in a bucket are 0; quantiles without runs are null.
/// </summary>
internal sealed record BucketSeries(
    TimeSpan Step,
    IReadOnlyList<DateTimeOffset> Ends,
    IReadOnlyDictionary<(string Agent, string Outcome), double[]> RunsByAgentOutcome,
    IReadOnlyDictionary<string, double?[]> P50ByAgent,
    IReadOnlyDictionary<string, double?[]> P95ByAgent,
    double?[] P50All,
    double?[] P95All,
    IReadOnlyDictionary<string, double[]> LlmCallsByAgent,
    IReadOnlyDictionary<string, double[]> FailedLlmCallsByAgent,
    IReadOnlyDictionary<(string Team, string Agent), double[]> CostByTeamAgent,
    IReadOnlyDictionary<string, double[]> TokensByType)
{
    public int Count => Ends.Count;

    /// <summary>Index of the first bucket of the current period.</summary>
    public int CurrentStart { get; init; }

    public double[] Runs() => Sum(RunsByAgentOutcome.Values);

    public double[] RunsOf(string agent) => Sum(RunsByAgentOutcome.Where(kv => kv.Key.Agent == agent).Select(kv => kv.Value));

    public double[] FailedRunsOf(string agent) => Sum(RunsByAgentOutcome
        .Where(kv => kv.Key.Agent == agent && kv.Key.Outcome != ReportMetrics.SuccessOutcome).Select(kv => kv.Value));

    public double[] FailedRuns() => Sum(RunsByAgentOutcome.Where(kv => kv.Key.Outcome != ReportMetrics.SuccessOutcome).Select(kv => kv.Value));

    public double[] LlmCalls() => Sum(LlmCallsByAgent.Values);

    public double[] FailedLlmCalls() => Sum(FailedLlmCallsByAgent.Values);

    public double[] Cost() => Sum(CostByTeamAgent.Values);

    public double[] CostOf(string scope, string name) => Sum(CostByTeamAgent
        .Where(kv => scope == "team" ? kv.Key.Team == name : kv.Key.Agent == name).Select(kv => kv.Value));

    public double[] Tokens() => Sum(TokensByType.Where(kv => kv.Key is "input" or "output").Select(kv => kv.Value));

    private double[] Sum(IEnumerable<double[]> series)
    {
        var total = new double[Count];
        foreach (var s in series)
        {
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += s[i];
            }
        }

        return total;
    }
}

/// <summary>Everything a report is computed from, as read from Prometheus.</summary>
internal sealed record ReportData(
    PeriodData Current,
    PeriodData Previous,
    BucketSeries Buckets,
    IReadOnlyList<UnpricedUsage> Unpriced,
    IReadOnlyList<BudgetStatus> Budgets,
    IReadOnlyList<AlertEpisode> Alerts,
    int QueryCount,
    TimeSpan QueryTime);
