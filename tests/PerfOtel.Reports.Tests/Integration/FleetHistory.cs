using PerfOtel.Reports.Tests.Support;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>
/// Twelve hours of a small fleet, scraped every minute, with planted facts whose truth is known. Steps k = 0..720 are
/// minutes; the previous period is (0, 240], the report's period (240, 480], and (480, 720] is held back to check
/// the forecast.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>planner (team payments): a success a minute; 15 s runs before step 240, 45 s after (the planted
/// regression); phases plan 2 s, execute the rest but 1 s, report 1 s (execute is the planted bottleneck). One
/// gpt-4o call a minute ($0.05). Estimate 60 s per run.</item>
/// <item>reviewer (team payments): two runs a minute, 5 s; one of them fails (30 s, timeout) every 10th minute;
/// both fail in (300, 330] (the planted anomaly). Two claude-sonnet-4 calls a minute ($0.01 each).</item>
/// <item>fixer (team platform): a 15 s success a minute; one gpt-4o call ($0.03) and one gpt-4o-mini call ($0.002)
/// a minute, failing every 100th and 80th minute: the planted cheaper model.</item>
/// <item>researcher (team research): only cost, on o3: 0.2 + 0.0005 k + noise dollars a minute (the trend the
/// forecast must follow).</item>
/// <item>Unpriced local/llama-3 input tokens, 100 a minute. Budgets: payments daily (set so that it runs out before
/// the day ends), research daily $0.01 (exhausted), fixer monthly $1,000,000 (ok).</item>
/// <item>Alerts: LLMErrorRatioHigh (warning) fires in [300, 319] and [400, 409]; PerfOtelCollectorDown
/// (critical) in [100, 104], the previous period.</item>
/// </list>
/// </remarks>
internal sealed class FleetHistory
{
    public const int StepSeconds = 60;
    public const int Period = 240;
    public const int LastStep = 3 * Period;
    public const int AnomalyFrom = 300;
    public const int AnomalyTo = 330;

    public const double PlannerUsdPerCall = 0.05;
    public const double ReviewerUsdPerCall = 0.01;
    public const double FixerBigUsdPerCall = 0.03;
    public const double FixerMiniUsdPerCall = 0.002;

    private const string Target = "job=\"perfotel-collector\",instance=\"collector-a:8080\",otel_scope_name=\"PerfOtel.Telemetry\"";
    private static readonly string[] LlmBuckets = ["0.64", "1.28", "2.56", "5.12", "+Inf"];

    private readonly double[] researcherUsd = new double[LastStep + 1];

    private FleetHistory(DateTimeOffset start)
    {
        Start = start;
        var random = new Random(20260131);
        for (var k = 1; k <= LastStep; k++)
        {
            researcherUsd[k] = 0.2 + (0.0005 * k) + ((random.NextDouble() - 0.5) * 0.1);
        }
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End => At(LastStep);

    public DateTimeOffset ReportFrom => At(Period);

    public DateTimeOffset ReportTo => At(2 * Period);

    /// <summary>History whose held-back period ends at <paramref name="end"/> (truncated to the minute).</summary>
    public static FleetHistory EndingAt(DateTimeOffset end) =>
        new(DateTimeOffset.FromUnixTimeSeconds((end.ToUnixTimeSeconds() / 60 * 60) - (LastStep * StepSeconds)));

    public DateTimeOffset At(int k) => Start.AddSeconds(k * StepSeconds);

    // Truths of the report period (Period, 2 Period].
    public static int ReviewerFailures(int from, int to) =>
        Enumerable.Range(from + 1, to - from).Sum(k => IsAnomaly(k) ? 2 : k % 10 == 0 ? 1 : 0);

    public double ResearcherUsd(int from, int to) => Enumerable.Range(from + 1, to - from).Sum(k => researcherUsd[k]);

    /// <summary>The fleet's USD in the steps (from, to].</summary>
    public double FleetUsd(int from, int to) =>
        ((to - from) * (PlannerUsdPerCall + (2 * ReviewerUsdPerCall) + FixerBigUsdPerCall + FixerMiniUsdPerCall)) + ResearcherUsd(from, to);

    public double PaymentsUsdPerMinute => PlannerUsdPerCall + (2 * ReviewerUsdPerCall);

    /// <summary>The step of the last UTC midnight at or before the report's end (negative: before the history).</summary>
    public int DayStartStep => (int)((new DateTimeOffset(ReportTo.UtcDateTime.Date, TimeSpan.Zero) - Start).TotalSeconds / StepSeconds);

    /// <summary>Payments' spend in its budget day up to the report's end.</summary>
    public double PaymentsSpentToday => (2 * Period - Math.Max(0, DayStartStep)) * PaymentsUsdPerMinute;

    public double HoursLeftInDay => (new DateTimeOffset(ReportTo.UtcDateTime.Date, TimeSpan.Zero).AddDays(1) - ReportTo).TotalHours;

    /// <summary>Set so that at the report period's rate the budget runs out halfway through the rest of the day.</summary>
    public double PaymentsDailyLimit => PaymentsSpentToday + (0.5 * PaymentsUsdPerMinute * 60 * HoursLeftInDay);

    public static bool IsAnomaly(int k) => k > AnomalyFrom && k <= AnomalyTo;

    public async Task WriteAsync(string path)
    {
        await using var file = new StreamWriter(path);
        var om = new OpenMetricsWriter(file, Start, StepSeconds, LastStep);

        om.Family("agent_run_duration_seconds", "histogram");
        om.Histogram("agent_run_duration_seconds", Labels("planner", "payments") + ",agent_run_outcome=\"success\"", k => [PlannerDuration(k)], OpenMetricsWriter.RunBuckets);
        om.Histogram("agent_run_duration_seconds", Labels("reviewer", "payments") + ",agent_run_outcome=\"success\"", k => Enumerable.Repeat(5.0, 2 - ReviewerFailed(k)).ToList(), OpenMetricsWriter.RunBuckets);
        om.Histogram("agent_run_duration_seconds", Labels("reviewer", "payments") + ",agent_run_outcome=\"failure\",error_type=\"timeout\"", k => Enumerable.Repeat(30.0, ReviewerFailed(k)).ToList(), OpenMetricsWriter.RunBuckets);
        om.Histogram("agent_run_duration_seconds", Labels("fixer", "platform") + ",agent_run_outcome=\"success\"", _ => [15.0], OpenMetricsWriter.RunBuckets);

        om.Family("agent_run_phase_duration_seconds", "histogram");
        Phase(om, "planner", "payments", "plan", _ => [2.0]);
        Phase(om, "planner", "payments", "execute", k => [PlannerDuration(k) - 3]);
        Phase(om, "planner", "payments", "report", _ => [1.0]);
        Phase(om, "reviewer", "payments", "plan", k => Enumerable.Repeat(1.0, 2).ToList());
        Phase(om, "reviewer", "payments", "review", k => [.. Enumerable.Repeat(4.0, 2 - ReviewerFailed(k)), .. Enumerable.Repeat(29.0, ReviewerFailed(k))]);
        Phase(om, "fixer", "platform", "plan", _ => [2.0]);
        Phase(om, "fixer", "platform", "execute", _ => [5.0]);
        Phase(om, "fixer", "platform", "test", _ => [8.0]);

        om.Family("agent_run_estimate_duration_seconds", "counter");
        om.Cumulative("agent_run_estimate_duration_seconds_total", Labels("planner", "payments"), _ => 60);
        om.Family("agent_run_estimate_actual_duration_seconds", "counter");
        om.Cumulative("agent_run_estimate_actual_duration_seconds_total", Labels("planner", "payments"), k => PlannerDuration(k));

        om.Family("gen_ai_client_operation_duration_seconds", "histogram");
        Llm(om, "planner", "payments", "openai", "gpt-4o", "", _ => 1, 2.0);
        Llm(om, "reviewer", "payments", "anthropic", "claude-sonnet-4", "", _ => 2, 1.0);
        Llm(om, "fixer", "platform", "openai", "gpt-4o", "", k => k % 100 == 0 ? 0 : 1, 1.5);
        Llm(om, "fixer", "platform", "openai", "gpt-4o", ",error_type=\"rate_limited\"", k => k % 100 == 0 ? 1 : 0, 0.2);
        Llm(om, "fixer", "platform", "openai", "gpt-4o-mini", "", k => k % 80 == 0 ? 0 : 1, 0.8);
        Llm(om, "fixer", "platform", "openai", "gpt-4o-mini", ",error_type=\"timeout\"", k => k % 80 == 0 ? 1 : 0, 0.2);

        om.Family("gen_ai_client_token_usage", "histogram");
        Tokens(om, "planner", "payments", "openai", "gpt-4o", 1000, 200);
        Tokens(om, "reviewer", "payments", "anthropic", "claude-sonnet-4", 1000, 200);
        Tokens(om, "fixer", "platform", "openai", "gpt-4o", 800, 150);
        Tokens(om, "fixer", "platform", "openai", "gpt-4o-mini", 800, 150);

        om.Family("agent_llm_cost_usd", "counter");
        Cost(om, "planner", "payments", "openai", "gpt-4o", _ => PlannerUsdPerCall);
        Cost(om, "reviewer", "payments", "anthropic", "claude-sonnet-4", _ => 2 * ReviewerUsdPerCall);
        Cost(om, "fixer", "platform", "openai", "gpt-4o", _ => FixerBigUsdPerCall);
        Cost(om, "fixer", "platform", "openai", "gpt-4o-mini", _ => FixerMiniUsdPerCall);
        Cost(om, "researcher", "research", "openai", "o3", k => researcherUsd[k]);

        om.Family("agent_llm_unpriced_tokens", "counter");
        om.Cumulative("agent_llm_unpriced_tokens_total", $"{Target},gen_ai_provider_name=\"local\",gen_ai_request_model=\"llama-3\",gen_ai_token_type=\"input\"", _ => 100);

        om.Family("agent_budget_limit_usd", "gauge");
        om.Gauge("agent_budget_limit_usd", $"{Target},budget_scope=\"agent\",budget_name=\"fixer\",budget_period=\"monthly\"", _ => 1_000_000);
        om.Gauge("agent_budget_limit_usd", $"{Target},budget_scope=\"team\",budget_name=\"payments\",budget_period=\"daily\"", _ => PaymentsDailyLimit);
        om.Gauge("agent_budget_limit_usd", $"{Target},budget_scope=\"team\",budget_name=\"research\",budget_period=\"daily\"", _ => 0.01);

        om.Family("ALERTS", "gauge");
        om.Gauge("ALERTS", "alertname=\"LLMErrorRatioHigh\",alertstate=\"firing\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o\",severity=\"warning\"", k => k is (>= 300 and <= 319) or (>= 400 and <= 409) ? 1 : null);
        om.Gauge("ALERTS", "alertname=\"PerfOtelCollectorDown\",alertstate=\"firing\",instance=\"collector-a:8080\",severity=\"critical\"", k => k is >= 100 and <= 104 ? 1 : null);
        om.End();
    }

    private static string Labels(string agent, string team) => $"{Target},gen_ai_agent_name=\"{agent}\",agent_team=\"{team}\"";

    private static double PlannerDuration(int k) => (k <= Period ? 15 : 45) - (k % 2);

    private static int ReviewerFailed(int k) => IsAnomaly(k) ? 2 : k % 10 == 0 ? 1 : 0;

    private static void Phase(OpenMetricsWriter om, string agent, string team, string phase, Func<int, IReadOnlyList<double>> observations)
    {
        var labels = Labels(agent, team) + $",agent_run_phase=\"{phase}\"";
        om.Cumulative("agent_run_phase_duration_seconds_count", labels, k => observations(k).Count);
        om.Cumulative("agent_run_phase_duration_seconds_sum", labels, k => observations(k).Sum());
    }

    private static void Llm(OpenMetricsWriter om, string agent, string team, string provider, string model, string extra, Func<int, int> calls, double seconds) =>
        om.Histogram(
            "gen_ai_client_operation_duration_seconds",
            Labels(agent, team) + $",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"{provider}\",gen_ai_request_model=\"{model}\"{extra}",
            k => Enumerable.Repeat(seconds, calls(k)).ToList(),
            LlmBuckets);

    private static void Tokens(OpenMetricsWriter om, string agent, string team, string provider, string model, double input, double output)
    {
        var labels = Labels(agent, team) + $",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"{provider}\",gen_ai_request_model=\"{model}\"";
        var calls = agent == "reviewer" ? 2 : 1;
        om.Cumulative("gen_ai_client_token_usage_sum", labels + ",gen_ai_token_type=\"input\"", _ => input);
        om.Cumulative("gen_ai_client_token_usage_count", labels + ",gen_ai_token_type=\"input\"", _ => calls);
        om.Cumulative("gen_ai_client_token_usage_sum", labels + ",gen_ai_token_type=\"output\"", _ => output);
        om.Cumulative("gen_ai_client_token_usage_count", labels + ",gen_ai_token_type=\"output\"", _ => calls);
    }

    private static void Cost(OpenMetricsWriter om, string agent, string team, string provider, string model, Func<int, double> usd) =>
        om.Cumulative("agent_llm_cost_usd_total", Labels(agent, team) + $",gen_ai_provider_name=\"{provider}\",gen_ai_request_model=\"{model}\"", k => k == 0 ? 0 : usd(k));
}
