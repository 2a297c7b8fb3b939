using PerfOtel.Reports.Prometheus;
using static PerfOtel.Reports.ReportMetrics;

namespace PerfOtel.Reports.Data;

/// <summary>
/// The PromQL behind every number of a report. Counters are turned into their exact increase per series first
/// (<see cref="PromQl.ExactIncrease"/>) and only then summed <c>by</c> the labels a section needs, which also adds
/// up replicas (<c>instance</c>, <c>job</c>) and scope labels. Several aggregations that share one evaluation are
/// joined with <c>or</c> and told apart by a marker label (<see cref="PartLabel"/>), so that the number of queries
/// of a report is fixed (<see cref="ReportReader.QueryBound"/>) whatever the number of series or the range.
/// </summary>
internal static class ReportQueries
{
    /// <summary>Marker label of the parts of a combined query.</summary>
    public const string PartLabel = "perfotel_part";

    /// <summary>Finished runs per agent and outcome.</summary>
    public static string Runs(string window) =>
        $"sum by ({Agent}, {Outcome}) ({PromQl.ExactIncrease(RunDurationCount, window)})";

    /// <summary>
    /// Run-duration bucket counts per agent: one evaluation of the buckets' increases from which every quantile,
    /// per agent and over all agents, is computed (<see cref="HistogramQuantile"/>).
    /// </summary>
    public static string RunBuckets(string window) =>
        $"sum by ({Agent}, {Le}) ({PromQl.ExactIncrease(RunDurationBucket, window)})";

    /// <summary>LLM calls per agent, model and error type (<c>error_type</c> is absent on calls that succeeded).</summary>
    public static string LlmCalls(string window) =>
        $"sum by ({Agent}, {Provider}, {Model}, {ErrorType}) ({PromQl.ExactIncrease(LlmDurationCount, window)})";

    /// <summary>Tokens per agent and token type: the token histogram's <c>_sum</c>.</summary>
    public static string Tokens(string window) =>
        $"sum by ({Agent}, {TokenType}) ({PromQl.ExactIncrease(TokenUsageSum, window)})";

    /// <summary>Per-agent counters of runs: run seconds, estimates, blockers, lines, retries (part names are <see cref="RunCounterParts"/>).</summary>
    public static string RunCounters(string window) => string.Join(
        " or ",
        RunCounterParts.Select(p => Mark($"sum by ({Agent}) ({PromQl.ExactIncrease(p.Metric, window)})", PartLabel, p.Part)));

    /// <summary>The parts of <see cref="RunCounters"/>.</summary>
    public static IReadOnlyList<(string Part, string Metric)> RunCounterParts { get; } =
    [
        ("run_seconds", RunDurationSum),
        ("estimate_seconds", EstimateSeconds),
        ("estimate_actual_seconds", EstimateActualSeconds),
        ("blockers", Blockers),
        ("lines_delivered", LinesDelivered),
        ("retries", Retries),
    ];

    /// <summary>USD per model, agent and team.</summary>
    public static string Cost(string window) =>
        $"sum by ({Provider}, {Model}, {Agent}, {Team}) ({PromQl.ExactIncrease(CostUsd, window)})";

    /// <summary>Seconds spent in each phase per agent.</summary>
    public static string Phases(string window) =>
        $"sum by ({Agent}, {Phase}) ({PromQl.ExactIncrease(PhaseDurationSum, window)})";

    /// <summary>LLM latency per model: p95 (part <c>p95</c>) and total seconds (part <c>seconds</c>).</summary>
    public static string ModelLatency(string window) => string.Join(
        " or ",
        Mark($"histogram_quantile(0.95, sum by ({Provider}, {Model}, {Le}) ({PromQl.ExactIncrease(LlmDurationBucket, window)}))", PartLabel, "p95"),
        Mark($"sum by ({Provider}, {Model}) ({PromQl.ExactIncrease(LlmDurationSum, window)})", PartLabel, "seconds"));

    /// <summary>Tokens of models the pricing catalog has no price for.</summary>
    public static string Unpriced(string window) =>
        $"sum by ({Provider}, {Model}, {TokenType}) ({PromQl.ExactIncrease(UnpricedTokens, window)})";

    /// <summary>The newest budget limits within the window (a gauge; replicas agree, <c>max</c> dedups them).</summary>
    public static string BudgetLimits(string window) =>
        $"max by ({BudgetScope}, {BudgetName}, {BudgetPeriod}) (last_over_time({BudgetLimitUsd}[{window}]))";

    /// <summary>USD per team and agent, for budget periods to date.</summary>
    public static string CostByTeamAndAgent(string window) =>
        $"sum by ({Team}, {Agent}) ({PromQl.ExactIncrease(CostUsd, window)})";

    /// <summary>Every raw sample of every firing alert within the window (a range selector: a matrix).</summary>
    public static string FiringAlerts(string window) => $"{Alerts}{{{AlertState}=\"{FiringState}\"}}[{window}]";

    // Bucketed series (range queries whose step is the bucket: each point is the bucket's exact increase).

    /// <summary>Runs per agent and outcome, per bucket.</summary>
    public static string RunsPerBucket(string step) => Runs(step);

    /// <summary>Run-duration bucket counts per agent, per bucket.</summary>
    public static string RunBucketsPerBucket(string step) => RunBuckets(step);

    /// <summary>LLM calls per agent and error type, per bucket.</summary>
    public static string LlmCallsPerBucket(string step) =>
        $"sum by ({Agent}, {ErrorType}) ({PromQl.ExactIncrease(LlmDurationCount, step)})";

    /// <summary>USD per team and agent, per bucket.</summary>
    public static string CostPerBucket(string step) => CostByTeamAndAgent(step);

    /// <summary>Tokens per type, per bucket.</summary>
    public static string TokensPerBucket(string step) =>
        $"sum by ({TokenType}) ({PromQl.ExactIncrease(TokenUsageSum, step)})";

    private static string Mark(string expression, string label, string value) =>
        $"label_replace({expression}, \"{label}\", \"{value}\", \"\", \"\")";
}
