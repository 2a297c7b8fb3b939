namespace PerfOtel.AlertQuality.History;

/// <summary>How an agent's work is spread over the day (UTC): business hours, or a nightly batch window.</summary>
internal enum TrafficShape
{
    BusinessHours,
    NightlyBatch,
}

/// <summary>One model an agent calls: calls per run, list prices (USD per million tokens), latency and errors.</summary>
internal sealed record ModelUse(
    string Provider,
    string Model,
    double CallsPerRun,
    double InputUsdPerMillion,
    double OutputUsdPerMillion,
    double InputTokensMedian,
    double OutputTokensMedian,
    double LatencyMedianSeconds,
    double LatencySigma,
    double ErrorRatio)
{
    /// <summary>Mean USD of one successful call (lognormal tokens, sigma 0.7 input and 0.6 output).</summary>
    public double MeanUsdPerCall =>
        ((InputTokensMedian * Math.Exp(0.7 * 0.7 / 2) * InputUsdPerMillion) + (OutputTokensMedian * Math.Exp(0.6 * 0.6 / 2) * OutputUsdPerMillion)) / 1e6;
}

internal sealed record AgentSpec(
    string Name,
    string Team,
    TrafficShape Shape,
    double PeakRunsPerMinute,
    double NightFactor,
    double RunMedianSeconds,
    double RunSigma,
    double FailureRatio,
    double BlockedRatio,
    string FailureErrorType,
    IReadOnlyList<ModelUse> Models)
{
    /// <summary>Expected runs per second at <paramref name="t"/> (the profile, without noise or incidents).</summary>
    public double ExpectedRunsPerSecond(long t) => PeakRunsPerMinute / 60.0 * Profile(t);

    /// <summary>0..1 share of the peak at <paramref name="t"/>.</summary>
    public double Profile(long t)
    {
        var h = HistoryClock.HourOfDay(t);
        if (Shape == TrafficShape.NightlyBatch)
        {
            // 01:30 to 03:30 UTC with 10-minute ramps; nothing else.
            return h < 1.5 || h > 3.5 ? 0 : Math.Min(1, Math.Min((h - 1.5) * 6, (3.5 - h) * 6));
        }

        var day = h < 6 || h > 22 ? 0 : 0.5 * (1 - Math.Cos(2 * Math.PI * (h - 6) / 16));
        var level = NightFactor + ((1 - NightFactor) * day);
        return HistoryClock.IsWeekend(t) ? level * 0.5 : level;
    }
}

internal sealed record BudgetSpec(string Scope, string Name, string Period, string[] Agents);

internal sealed record ComponentSpec(string Name, string ProbeKind, double Weight);

internal sealed record HostSpec(string Instance, int Cpus, double CpuBase, double CpuDaily, double MemoryBase, double DiskBase);

/// <summary>A work queue: Poisson arrivals with a daily shape, executors serving one item each.</summary>
internal sealed record QueueSpec(string Name, int Executors, double ServiceMinutes, double PeakArrivalsPerMinute, double NightArrivalsPerMinute);

/// <summary>The simulated fleet: what the history contains besides its incidents.</summary>
internal sealed class Fleet
{
    public const string CollectorInstance = "collector-a:8080";

    public required IReadOnlyList<AgentSpec> Agents { get; init; }

    public required IReadOnlyList<BudgetSpec> Budgets { get; init; }

    public required IReadOnlyList<ComponentSpec> Components { get; init; }

    public required IReadOnlyList<HostSpec> Hosts { get; init; }

    public required IReadOnlyList<QueueSpec> Queues { get; init; }

    /// <summary>Per-agent threshold overrides (deploy/thresholds/thresholds.json style): agent, threshold, value.</summary>
    public required IReadOnlyList<(string Agent, string Threshold, double Value)> ThresholdOverrides { get; init; }

    /// <summary>
    /// Budget limits relative to the expected spend of a weekday (daily) or of an average month (monthly): the
    /// fleet is configured with head room, as operators would.
    /// </summary>
    public double BudgetHeadroom { get; init; } = 1.7;

    public AgentSpec Agent(string name) => Agents.Single(a => a.Name == name);

    /// <summary>Six agents, four teams, seven models, two queues, five probed components, two hosts.</summary>
    public static Fleet Default { get; } = new()
    {
        Agents =
        [
            new("planner", "payments", TrafficShape.BusinessHours, 4, 0.12, 45, 0.35, 0.03, 0.008, "timeout",
            [
                new("openai", "gpt-4o", 3, 2.5, 10, 3000, 500, 3.0, 0.5, 0.01),
                new("openai", "gpt-4o-mini", 4, 0.15, 0.6, 2500, 400, 1.2, 0.45, 0.01),
            ]),
            new("reviewer", "payments", TrafficShape.BusinessHours, 2, 0.1, 100, 0.35, 0.03, 0.01, "tool_error",
            [
                new("anthropic", "claude-sonnet-4", 5, 3, 15, 4000, 700, 5.5, 0.5, 0.015),
            ]),
            new("fixer", "platform", TrafficShape.BusinessHours, 1.5, 0.15, 240, 0.35, 0.05, 0.01, "test_failure",
            [
                new("openai", "gpt-4o", 8, 2.5, 10, 5000, 800, 3.5, 0.5, 0.01),
            ]),
            new("triager", "platform", TrafficShape.BusinessHours, 8, 0.12, 10, 0.3, 0.02, 0.005, "timeout",
            [
                new("openai", "gpt-4o-mini", 1.5, 0.15, 0.6, 1500, 200, 0.9, 0.45, 0.06),
            ]),
            new("researcher", "research", TrafficShape.BusinessHours, 0.3, 0.2, 600, 0.4, 0.04, 0.01, "timeout",
            [
                new("openai", "o3", 25, 2, 8, 6000, 1500, 16, 0.45, 0.02),
            ]),
            new("nightly-batch", "ops", TrafficShape.NightlyBatch, 5, 0, 25, 0.3, 0.02, 0.0, "timeout",
            [
                new("gcp.gemini", "gemini-2.5-flash", 2, 0.3, 2.5, 3000, 400, 2.0, 0.45, 0.01),
            ]),
        ],
        Budgets =
        [
            new("team", "payments", "daily", ["planner", "reviewer"]),
            new("team", "platform", "monthly", ["fixer", "triager"]),
            new("agent", "researcher", "daily", ["researcher"]),
            new("team", "ops", "monthly", ["nightly-batch"]),
        ],
        Components =
        [
            new("postgres", "tcp", 3),
            new("llm-gateway", "http", 3),
            new("redis", "tcp", 1),
            new("vector-db", "http", 1),
            new("docs-site", "http", 0),
        ],
        Hosts =
        [
            new("host-a:9100", 2, 0.22, 0.35, 0.55, 0.62),
            new("host-b:9100", 2, 0.15, 0.25, 0.45, 0.48),
        ],
        Queues =
        [
            // Business-hours tickets: empty at night; 12 executors, at most about 70 % busy at the peak.
            new("tickets", 12, 2, 4.0, 0.3),
            // Reviews around the clock (teams in several time zones): 4 executors, busiest in the European afternoon.
            new("reviews", 4, 5, 0.7, 0.4),
        ],
        ThresholdOverrides =
        [
            ("triager", "llm_error_ratio", 0.15),
            ("researcher", "llm_p95_latency_seconds", 90),
        ],
    };
}
