namespace PerfOtel.AlertQuality.History;

/// <summary>What an incident is injected into: picks the entity and the labels its alerts carry.</summary>
internal enum IncidentTarget
{
    /// <summary>One agent's calls to one model.</summary>
    AgentModel,

    /// <summary>One agent's runs.</summary>
    Agent,

    /// <summary>One agent's spend, the agent belonging to a budget (its team's or its own).</summary>
    BudgetedAgent,

    /// <summary>One agent's spend, the agent having a daily budget.</summary>
    DailyBudgetedAgent,

    Queue,

    /// <summary>A component of weight at most 1 in the health score.</summary>
    MinorComponent,

    /// <summary>A component of weight 3: the health score drops below 0.8.</summary>
    MajorComponent,

    Host,

    /// <summary>The collector itself: every agent, budget, component and queue series.</summary>
    Collector,

    /// <summary>Prometheus or Alertmanager themselves.</summary>
    Monitoring,
}

/// <summary>An alert that may fire because of an incident without being required to (a symptom, a slower cousin).</summary>
internal sealed record AcceptableAlert(string Alert, TimeSpan Tail);

/// <summary>
/// A kind of fault, the alerts that must catch it (<see cref="Expected"/>: scored for recall and time to detect) and
/// the ones that may fire because of it (<see cref="Acceptable"/>: not false, not required). <see cref="Tail"/> is how
/// long after the fault ends a first detection still counts. Counts are per 10 days of scored history.
/// </summary>
internal sealed record IncidentKind(
    string Name,
    string Summary,
    IncidentTarget Target,
    double PerTenDays,
    TimeSpan MinDuration,
    TimeSpan MaxDuration,
    IReadOnlyList<string> Expected,
    IReadOnlyList<AcceptableAlert> Acceptable,
    TimeSpan Tail)
{
    /// <summary>Every alert starting during the fault (or <see cref="Tail"/> after it) is a consequence of it.</summary>
    public bool MasksEverything { get; init; }

    /// <summary>Time after the fault claimed on the same entity (no other fault there), for slow windows to settle.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromHours(2);
}

internal static class IncidentCatalog
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly AcceptableAlert[] BudgetSymptoms =
    [
        // The extra spend is calls with 100k-token contexts: slower than the agent's usual calls.
        new("LLMLatencyHigh", TimeSpan.FromMinutes(15)),
        new("BudgetFastBurn", TimeSpan.FromHours(1)),
        new("BudgetSlowBurn", TimeSpan.FromHours(6)),
        // The forecast extrapolates the last day's spend: it may go on firing for a day after the spend stops.
        new("BudgetForecastExceeded", TimeSpan.FromHours(25)),
    ];

    public static IReadOnlyList<IncidentKind> All { get; } =
    [
        new("collector_down", "the collector stops (no scrape; counters restart from zero)", IncidentTarget.Collector, 2, 2 * Minute, 10 * Minute,
            ["PerfOtelCollectorDown"], [new("TargetDown", 5 * Minute)], 5 * Minute) { MasksEverything = true, Settle = TimeSpan.FromHours(1) },
        new("thresholds_missing", "the collector is up but exposes no thresholds", IncidentTarget.Collector, 1, 15 * Minute, 30 * Minute,
            ["PerfOtelAlertThresholdsMissing"], [], 5 * Minute) { Settle = TimeSpan.FromHours(1) },
        new("llm_error_spike", "a share of an agent's calls to one model fail (retried)", IncidentTarget.AgentModel, 4, 20 * Minute, 45 * Minute,
            ["LLMErrorRatioHigh", "LLMErrorSpike"], [], 15 * Minute),
        new("llm_latency", "calls of an agent to one model become slow (p95 well above its threshold)", IncidentTarget.AgentModel, 3, 30 * Minute, 60 * Minute,
            ["LLMLatencyHigh"], [new("AgentRunDurationHigh", 30 * Minute)], 15 * Minute),
        new("run_failures", "most concluded runs of an agent fail", IncidentTarget.Agent, 3, 20 * Minute, 40 * Minute,
            ["AgentRunSuccessRatioLow"], [new("AgentRunSLOFastBurn", TimeSpan.FromHours(1)), new("AgentRunSLOSlowBurn", TimeSpan.FromHours(6)), new("AgentRunDurationHigh", 30 * Minute)], 10 * Minute),
        new("run_outage", "nearly every run of an agent fails for over an hour", IncidentTarget.Agent, 2, 75 * Minute, 120 * Minute,
            ["AgentRunSuccessRatioLow", "AgentRunSLOFastBurn"], [new("AgentRunSLOSlowBurn", TimeSpan.FromHours(6)), new("AgentRunDurationHigh", 30 * Minute)], 15 * Minute),
        new("slo_slow_burn", "a large minority of an agent's runs fail for hours", IncidentTarget.Agent, 1, 360 * Minute, 540 * Minute,
            ["AgentRunSLOSlowBurn"], [new("AgentRunSuccessRatioLow", 10 * Minute), new("AgentRunSLOFastBurn", TimeSpan.FromHours(1)), new("AgentRunDurationHigh", 30 * Minute)], 30 * Minute)
        { Settle = TimeSpan.FromHours(8) },
        new("run_duration", "an agent's runs take several times their usual duration", IncidentTarget.Agent, 3, 60 * Minute, 120 * Minute,
            ["AgentRunDurationHigh"], [], 20 * Minute),
        new("blocked_streak", "every run of an agent ends blocked", IncidentTarget.Agent, 3, 20 * Minute, 45 * Minute,
            ["AgentBlockedRunStreak"], [], 15 * Minute),
        new("run_surge", "an agent finishes several times its usual runs (duplicate dispatch)", IncidentTarget.Agent, 2, 40 * Minute, 75 * Minute,
            ["AgentRunRateAnomaly"], [new("AgentRunRateOutsideSeasonalBand", 30 * Minute), new("LLMCostSpike", 30 * Minute), .. BudgetSymptoms], 20 * Minute),
        new("run_stall", "an agent stops finishing runs in its busy hours (or skips its nightly batch)", IncidentTarget.Agent, 3, 45 * Minute, 90 * Minute,
            ["AgentRunRateOutsideSeasonalBand"], [new("AgentRunRateAnomaly", 30 * Minute)], 20 * Minute),
        new("queue_exhausted", "the producers of a queue stop in its busy hours", IncidentTarget.Queue, 2, 45 * Minute, 90 * Minute,
            ["AgentQueueExhausted"], [], 15 * Minute),
        new("queue_backlog", "a queue's executors slow down and its backlog grows", IncidentTarget.Queue, 2, 60 * Minute, 150 * Minute,
            ["AgentQueueBacklogGrowing"], [], 30 * Minute),
        new("component_down", "a component of weight 0 or 1 fails its probes", IncidentTarget.MinorComponent, 2, 5 * Minute, 30 * Minute,
            ["ComponentDown"], [], 5 * Minute) { Settle = TimeSpan.FromHours(1) },
        new("component_outage", "a component of weight 3 fails its probes (health score 0.625)", IncidentTarget.MajorComponent, 2, 5 * Minute, 30 * Minute,
            ["ComponentDown", "PerfOtelHealthScoreLow"], [], 5 * Minute) { Settle = TimeSpan.FromHours(1) },
        new("host_cpu", "a host's CPU is saturated", IncidentTarget.Host, 2, 30 * Minute, 60 * Minute,
            ["HostCpuUtilisationHigh"], [], 10 * Minute),
        new("host_memory", "a host's memory fills up (leak) and stays nearly full", IncidentTarget.Host, 2, 20 * Minute, 40 * Minute,
            ["HostMemoryUtilisationHigh"], [], 10 * Minute),
        new("host_disk", "a host's root file system fills up past 85 %", IncidentTarget.Host, 2, 30 * Minute, 90 * Minute,
            ["HostDiskUtilisationHigh"], [], 10 * Minute),
        new("exporter_down", "a host's node_exporter stops answering", IncidentTarget.Host, 1, 5 * Minute, 20 * Minute,
            ["TargetDown"], [], 5 * Minute),
        new("cost_spike", "an agent spends several times its usual rate, at least USD 2/h more (long contexts in a loop)", IncidentTarget.Agent, 3, 45 * Minute, 90 * Minute,
            ["LLMCostSpike"], BudgetSymptoms, 20 * Minute) { Settle = TimeSpan.FromHours(26) },
        new("budget_fast_burn", "a runaway agent burns its budget at 25 to 50 times its pace", IncidentTarget.BudgetedAgent, 2, 60 * Minute, 120 * Minute,
            ["BudgetFastBurn", "LLMCostSpike"], BudgetSymptoms, 15 * Minute) { Settle = TimeSpan.FromHours(26) },
        new("budget_slow_burn", "an agent burns its budget at 8 to 12 times its pace for hours", IncidentTarget.BudgetedAgent, 1, 300 * Minute, 480 * Minute,
            ["BudgetSlowBurn"], [new("LLMCostSpike", 30 * Minute), .. BudgetSymptoms], 30 * Minute) { Settle = TimeSpan.FromHours(26) },
        new("budget_forecast", "extra spend from the morning on makes a daily budget run out before midnight", IncidentTarget.DailyBudgetedAgent, 1, TimeSpan.FromHours(14), TimeSpan.FromHours(19),
            ["BudgetForecastExceeded"], [new("LLMCostSpike", 30 * Minute), new("BudgetSlowBurn", TimeSpan.FromHours(6))], TimeSpan.FromHours(1)) { Settle = TimeSpan.FromHours(26) },
        new("ingest_rejected", "an agent keeps sending batches with a wrong API key", IncidentTarget.Monitoring, 1, 30 * Minute, 60 * Minute,
            ["PerfOtelIngestBatchesRejected"], [], 10 * Minute),
        new("rule_eval_failures", "Prometheus fails to evaluate a rule group", IncidentTarget.Monitoring, 1, 15 * Minute, 30 * Minute,
            ["PrometheusRuleEvaluationFailures"], [], 10 * Minute),
        new("rule_iterations_missed", "a rule group's evaluations take longer than its interval", IncidentTarget.Monitoring, 1, 15 * Minute, 30 * Minute,
            ["PrometheusRuleGroupIterationsMissed"], [], 15 * Minute),
        new("notifications_failing", "Alertmanager fails half of its Slack notifications", IncidentTarget.Monitoring, 1, 20 * Minute, 40 * Minute,
            ["AlertmanagerNotificationsFailing"], [], 10 * Minute),
        new("alert_delivery_failing", "Prometheus cannot send alerts to Alertmanager", IncidentTarget.Monitoring, 1, 15 * Minute, 30 * Minute,
            ["PrometheusNotificationsFailing"], [], 10 * Minute),
    ];

    public static IncidentKind Get(string name) =>
        All.FirstOrDefault(k => k.Name == name) ?? throw new ArgumentException($"unknown incident kind '{name}'", nameof(name));

    /// <summary>Every alert the catalog knows (expected or acceptable somewhere).</summary>
    public static IReadOnlySet<string> KnownAlerts { get; } =
        All.SelectMany(k => k.Expected.Concat(k.Acceptable.Select(a => a.Alert))).ToHashSet(StringComparer.Ordinal);
}

/// <summary>One injected fault with its known start and end (unix seconds) and the labels its alerts carry.</summary>
internal sealed record Incident(
    int Id,
    IncidentKind Kind,
    string Entity,
    IReadOnlyDictionary<string, string> Labels,
    long Start,
    long End,
    double Magnitude,
    string Detail)
{
    /// <summary>Seconds before <see cref="Start"/> in which the fault builds up (a ramp): alerts there are not false.</summary>
    public long Lead { get; init; }

    /// <summary>The model, for <see cref="IncidentTarget.AgentModel"/> incidents.</summary>
    public string? Model { get; init; }

    public string Describe() => $"{Kind.Name} {Entity}{(Model is null ? "" : "/" + Model)}";
}
