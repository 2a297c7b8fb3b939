using PerfOtel.Reports.Kpis;

namespace PerfOtel.Reports.Analysis;

/// <summary>Which report: the performance report of a period (daily, weekly, range) or the cost report.</summary>
internal enum ReportKind
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("daily")]
    Daily,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("weekly")]
    Weekly,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("range")]
    Range,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("cost")]
    Cost,
}

/// <summary>A period as the model shows it: <c>(From, To]</c>.</summary>
internal sealed record Period(DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// One KPI of the fleet, this period against the previous one. <see cref="Change"/> is relative (0.38 = +38%) for
/// amounts and absolute (in ratio points) for ratios; <see cref="Z"/> is the test statistic of
/// <see cref="Method"/>, and <see cref="Significant"/> says whether |z| ≥ 1.96 (larger than normal variation).
/// </summary>
internal sealed record KpiChange(
    string Key, string Name, string Unit, double? Current, double? Previous, double? Change, bool ChangeIsAbsolute, double? Z, bool Significant, string Method);

/// <summary>One agent's KPIs in both periods, and the tests of its p95 and success ratio changes.</summary>
internal sealed record AgentRow(string Agent, KpiValues Current, KpiValues Previous, KpiChange P95, KpiChange SuccessRatio);

/// <summary>A plain statement the data supports, with the numbers behind it.</summary>
internal sealed record Finding(string Kind, string Subject, string Text, IReadOnlyList<string> Evidence);

/// <summary>A phase's share of run time (<see cref="Share"/> of the runs' total duration, or of all phase time when runs report none).</summary>
internal sealed record PhaseShare(int Rank, string Phase, double Seconds, double Share, string TopAgent, double TopAgentSeconds);

internal sealed record SlowAgent(int Rank, string Agent, double? P95Seconds, double? P50Seconds, double Runs);

internal sealed record SlowModel(int Rank, string Provider, string Model, double? P95Seconds, double? MeanSeconds, double Calls);

internal sealed record Bottlenecks(IReadOnlyList<PhaseShare> Phases, IReadOnlyList<SlowAgent> SlowestAgents, IReadOnlyList<SlowModel> SlowestModels);

/// <summary>
/// A value outside its baseline: a period of an agent (buckets of the series against the agent's own buckets), or an
/// agent against the other agents. Flagged when outside Tukey's far fences (Q1 - 3 IQR, Q3 + 3 IQR) and |z| ≥ 3.
/// </summary>
internal sealed record Anomaly(
    string Kind, string Agent, string Metric, string Unit, DateTimeOffset From, DateTimeOffset To, double Value,
    double BaselineMedian, double LowerFence, double UpperFence, double Z, string Text);

internal sealed record AlertStats(
    string AlertName, string Severity, int Fired, int PreviousFired, TimeSpan FiringTime, TimeSpan? MeanTimeToResolve, TimeSpan? MaxTimeToResolve, int StillFiring);

internal sealed record SeverityStats(string Severity, int Fired, int PreviousFired, TimeSpan FiringTime);

internal sealed record AlertSummary(IReadOnlyList<SeverityStats> BySeverity, IReadOnlyList<AlertStats> Alerts);

/// <summary>How well the method predicted a stretch of the data at hand that it did not see.</summary>
internal sealed record Backtest(Period HeldOut, double Predicted, double Low, double High, double Actual, double? AbsolutePercentageError, bool WithinInterval);

/// <summary>A forecast of a total over a future period, with a 95% interval and the method's backtest on this data.</summary>
internal sealed record Forecast(
    string Key, string Name, string Unit, Period Period, double Value, double Low, double High, string Method, Backtest? Backtest);

/// <summary>A budget in its period containing the report's end, and where it is heading at the recent rate.</summary>
internal sealed record BudgetRow(
    string Scope, string Name, string Period, double LimitUsd, double SpentUsd, double UsedRatio, Period BudgetPeriod,
    double RateUsdPerHour, double ProjectedUsd, DateTimeOffset? ExhaustedAt, string Status);

internal sealed record CostShare(string Name, double Usd, double Share);

internal sealed record ModelCost(string Provider, string Model, double Usd, double Share, double Calls, double? UsdPerCall);

internal sealed record AgentCost(string Agent, double Usd, double PreviousUsd, double SuccessfulRuns, double? UsdPerSuccessfulRun);

internal sealed record UnpricedRow(string Provider, string Model, string TokenType, double Tokens);

internal sealed record CostSection(
    KpiChange Total,
    double? UsdPerSuccessfulRun,
    IReadOnlyList<ModelCost> ByModel,
    IReadOnlyList<AgentCost> ByAgent,
    IReadOnlyList<CostShare> ByTeam,
    IReadOnlyList<UnpricedRow> Unpriced,
    IReadOnlyList<BudgetRow> Budgets);

/// <summary>Something to do, why (the evidence), and how much it matters (<see cref="Priority"/>: 1 first).</summary>
internal sealed record Recommendation(int Priority, string Category, string Title, string Action, IReadOnlyList<string> Evidence);

/// <summary>A bucketed series of the previous and current period for charts and analysis.</summary>
internal sealed record TimeSeries(string Key, string Name, string Unit, string Agent, IReadOnlyList<double?> Values, IReadOnlyList<double?> MovingAverage);

/// <summary>How the report read its data: the bounded query count and the time it took.</summary>
internal sealed record QueryStats(int Queries, int Bound, double Seconds);

/// <summary>Everything a renderer shows. Built by <see cref="ReportAnalyzer"/>; the JSON format is this record.</summary>
internal sealed record ReportModel(
    ReportKind Kind,
    string Title,
    Period Period,
    Period PreviousPeriod,
    string Source,
    DateTimeOffset GeneratedAt,
    TimeSpan Step,
    IReadOnlyList<string> TokenTypes,
    IReadOnlyList<KpiChange> Kpis,
    IReadOnlyList<AgentRow> Agents,
    IReadOnlyList<Finding> Trends,
    Bottlenecks Bottlenecks,
    IReadOnlyList<Anomaly> Anomalies,
    AlertSummary Alerts,
    CostSection Cost,
    IReadOnlyList<Forecast> Forecasts,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<DateTimeOffset> BucketEnds,
    int CurrentBucketStart,
    IReadOnlyList<TimeSeries> Series,
    QueryStats Queries);
