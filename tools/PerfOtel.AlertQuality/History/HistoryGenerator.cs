using PerfOtel.Collector.Thresholds;

namespace PerfOtel.AlertQuality.History;

/// <summary>
/// Simulates the fleet scrape by scrape and keeps every series the collector, node_exporter, Prometheus and
/// Alertmanager would expose, as the alert rules read them: cumulative counters and histograms (<c>_bucket</c> with
/// OpenMetrics <c>le</c>, <c>_sum</c>, <c>_count</c>, <c>_total</c>), gauges, <c>up</c>. Incidents change the traffic
/// they target between their start and end; everything else is daily and weekly seasonality plus noise.
/// </summary>
internal sealed partial class HistoryGenerator
{
    public const string RunsFile = "runs.om";
    public const string CallsFile = "llm-calls.om";
    public const string TokensFile = "tokens.om";
    public const string OtherFile = "other.om";

    private static readonly double[] RunBuckets = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
    private static readonly double[] CallBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Fleet fleet;
    private readonly FleetEconomics economics;
    private readonly HistoryOptions options;
    private readonly HistoryClock clock;
    private readonly IReadOnlyList<Incident> incidents;
    private readonly Availability collector;
    private readonly Availability always;
    private readonly Dictionary<string, MetricFamily> families = new(StringComparer.Ordinal);
    private readonly List<MetricFamily> ordered = [];

    private HistoryGenerator(Fleet fleet, HistoryOptions options, IReadOnlyList<Incident> incidents)
    {
        this.fleet = fleet;
        this.options = options;
        this.incidents = incidents;
        economics = new FleetEconomics(fleet);
        clock = options.Clock();
        collector = new Availability(clock.Steps);
        always = new Availability(clock.Steps);
        foreach (var down in Active("collector_down"))
        {
            collector.Down(clock.StepAtOrAfter(down.Start), clock.StepAtOrBefore(down.End - 1));
        }
    }

    public static GeneratedHistory Generate(Fleet fleet, HistoryOptions options)
    {
        var clock = options.Clock();
        var economics = new FleetEconomics(fleet);
        var (incidents, unplaced) = IncidentPlanner.Plan(fleet, economics, clock, options.Seed, options.ScoreFrom, options.Kinds, options.IncidentsPerKind);
        var generator = new HistoryGenerator(fleet, options, incidents);
        generator.Simulate();
        return new GeneratedHistory(fleet, options, clock, incidents, unplaced, generator.ordered, economics);
    }

    private void Simulate()
    {
        foreach (var agent in fleet.Agents)
        {
            SimulateAgent(agent);
        }

        Budgets();
        Thresholds();
        Components();
        Queues();
        Hosts();
        Monitoring();
    }

    private IEnumerable<Incident> Active(string kind) => incidents.Where(i => i.Kind.Name == kind);

    private MetricFamily Family(string name, string type, string file, string? unit = null)
    {
        if (!families.TryGetValue(name, out var family))
        {
            family = new MetricFamily(name, type, file, unit);
            families[name] = family;
            ordered.Add(family);
        }

        return family;
    }

    private static string CollectorTarget(string scope) =>
        $"job=\"perfotel-collector\",instance=\"{Fleet.CollectorInstance}\",otel_scope_name=\"{scope}\"";

    private static string AgentLabels(AgentSpec agent) => $"{CollectorTarget("PerfOtel.Agents")},gen_ai_agent_name=\"{agent.Name}\",agent_team=\"{agent.Team}\"";

    /// <summary>True while <paramref name="incident"/> is on at t (start inclusive, end exclusive).</summary>
    private static bool On(Incident incident, long t) => t > incident.Start && t <= incident.End;

    private void SimulateAgent(AgentSpec agent)
    {
        var random = new RandomSource(options.Seed, "agent:" + agent.Name);
        var steps = clock.Steps;
        var dt = clock.StepSeconds;
        var labels = AgentLabels(agent);
        var runs = Family("agent_run_duration_seconds", "histogram", RunsFile, "seconds");
        var success = runs.Add(new HistogramData(labels + ",agent_run_outcome=\"success\"", collector, steps, RunBuckets));
        var failure = runs.Add(new HistogramData(labels + $",agent_run_outcome=\"failure\",error_type=\"{agent.FailureErrorType}\"", collector, steps, RunBuckets));
        var blocked = runs.Add(new HistogramData(labels + ",agent_run_outcome=\"blocked\"", collector, steps, RunBuckets));

        var calls = Family("gen_ai_client_operation_duration_seconds", "histogram", CallsFile, "seconds");
        var tokens = Family("gen_ai_client_token_usage", "histogram", TokensFile);
        var cost = Family("agent_llm_cost_usd", "counter", OtherFile);
        var models = agent.Models.Select(m =>
        {
            var callLabels = $"{labels},gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"{m.Provider}\",gen_ai_request_model=\"{m.Model}\"";
            return new ModelSeries(
                m,
                calls.Add(new HistogramData(callLabels, collector, steps, CallBuckets)),
                calls.Add(new HistogramData(callLabels + ",error_type=\"rate_limited\"", collector, steps, CallBuckets)),
                tokens.Add(new HistogramData(callLabels + ",gen_ai_token_type=\"input\"", collector, steps, TokenBuckets)),
                tokens.Add(new HistogramData(callLabels + ",gen_ai_token_type=\"output\"", collector, steps, TokenBuckets)),
                cost.Add(new CounterData($"{labels},gen_ai_provider_name=\"{m.Provider}\",gen_ai_request_model=\"{m.Model}\"", collector, steps, bornAtStart: false)),
                new SlowNoise(random, 0.3, 1800, dt));
        }).ToList();

        var mine = incidents.Where(i => i.Entity == agent.Name).ToList();
        var budget = economics.BudgetOf(agent);
        var meanRuns = economics.MeanRunsPerSecond(agent);
        var meanSpend = economics.MeanSpendPerSecond(agent);
        var noise = new SlowNoise(random, 0.1, 3600, dt);
        var blockedInARow = 0;

        for (var k = 1; k < steps; k++)
        {
            var t = clock.TimeAt(k);
            var level = noise.Next();
            double rate = agent.ExpectedRunsPerSecond(t) * level, failureRatio = agent.FailureRatio, durationFactor = 1, extraSpend = 0;
            var allBlocked = false;
            foreach (var incident in mine)
            {
                if (!On(incident, t))
                {
                    continue;
                }

                switch (incident.Kind.Name)
                {
                    case "run_stall": rate = 0; break;
                    case "run_surge": rate += incident.Magnitude * meanRuns; break;
                    case "run_failures" or "run_outage" or "slo_slow_burn": failureRatio = incident.Magnitude; break;
                    case "run_duration": durationFactor = incident.Magnitude; break;
                    case "blocked_streak": allBlocked = true; break;
                    case "cost_spike": extraSpend += incident.Magnitude * meanSpend; break;
                    case "budget_fast_burn" or "budget_slow_burn": extraSpend += incident.Magnitude * economics.Pace(budget!, t); break;
                    case "budget_forecast": extraSpend += incident.Magnitude; break;
                    default: break;
                }
            }

            var finished = random.Poisson(rate * dt);
            for (var r = 0; r < finished; r++)
            {
                var duration = random.LogNormal(agent.RunMedianSeconds, agent.RunSigma) * durationFactor * (random.Chance(0.01) ? 3 : 1);
                if (allBlocked || (random.Chance(agent.BlockedRatio) && blockedInARow < 2))
                {
                    // Ordinary noise never blocks three runs in a row: that is the blocked-streak incident.
                    blockedInARow++;
                    blocked.Observe(k, duration * 0.4);
                }
                else
                {
                    blockedInARow = 0;
                    if (random.Chance(failureRatio))
                    {
                        failure.Observe(k, duration * 1.3);
                    }
                    else
                    {
                        success.Observe(k, duration);
                    }
                }
            }

            for (var m = 0; m < models.Count; m++)
            {
                Calls(models[m], random, k, t, rate * dt, mine, m == 0 ? extraSpend * dt : 0);
            }
        }
    }

    /// <summary>The calls of one step: <paramref name="runs"/> expected runs, each making the model's calls per run.</summary>
    private static void Calls(ModelSeries series, RandomSource random, int k, long t, double runs, List<Incident> mine, double extraUsd)
    {
        var model = series.Model;
        var errorRatio = Math.Min(0.5, model.ErrorRatio * series.ErrorNoise.Next());
        var latency = 1.0;
        foreach (var incident in mine)
        {
            if (incident.Model == model.Model && On(incident, t))
            {
                if (incident.Kind.Name == "llm_error_spike")
                {
                    errorRatio = incident.Magnitude;
                }
                else if (incident.Kind.Name == "llm_latency")
                {
                    latency = incident.Magnitude;
                }
            }
        }

        var expected = runs * model.CallsPerRun;
        var ok = random.Poisson(expected);
        // Failed calls are retried: they come on top of the successful ones.
        var failed = random.Poisson(expected * errorRatio / (1 - errorRatio));
        for (var c = 0; c < ok; c++)
        {
            series.Ok.Observe(k, random.LogNormal(model.LatencyMedianSeconds * latency, model.LatencySigma));
            var input = Math.Round(random.LogNormal(model.InputTokensMedian, 0.7));
            var output = Math.Round(random.LogNormal(model.OutputTokensMedian, 0.6));
            series.Input.Observe(k, input);
            series.Output.Observe(k, output);
            series.Cost.Increments[k] += ((input * model.InputUsdPerMillion) + (output * model.OutputUsdPerMillion)) / 1e6;
        }

        for (var c = 0; c < failed; c++)
        {
            series.Failed.Observe(k, random.LogNormal(model.LatencyMedianSeconds * 0.3 * latency, 0.5));
        }

        if (extraUsd > 0)
        {
            // Runaway spend: calls with 100k-token contexts, as many as the extra spend buys.
            var perCall = ((100_000 * model.InputUsdPerMillion) + (1000 * model.OutputUsdPerMillion)) / 1e6;
            var n = Math.Max(1, (int)Math.Round(extraUsd / perCall));
            var input = ((extraUsd / n) - (1000 * model.OutputUsdPerMillion / 1e6)) / model.InputUsdPerMillion * 1e6;
            for (var c = 0; c < n; c++)
            {
                series.Ok.Observe(k, random.LogNormal(model.LatencyMedianSeconds * 2, model.LatencySigma));
                series.Input.Observe(k, Math.Max(1, Math.Round(input)));
                series.Output.Observe(k, 1000);
            }

            series.Cost.Increments[k] += extraUsd;
        }
    }

    private void Budgets()
    {
        var limit = Family("agent_budget_limit_usd", "gauge", OtherFile);
        var start = Family("agent_budget_period_start_timestamp_seconds", "gauge", OtherFile);
        var end = Family("agent_budget_period_end_timestamp_seconds", "gauge", OtherFile);
        foreach (var budget in fleet.Budgets)
        {
            var owner = budget.Scope == "team" ? $"agent_team=\"{budget.Name}\"" : $"gen_ai_agent_name=\"{budget.Name}\"";
            var labels = $"{CollectorTarget("PerfOtel.Budgets")},budget_scope=\"{budget.Scope}\",budget_name=\"{budget.Name}\",budget_period=\"{budget.Period}\",{owner}";
            var l = limit.Add(new GaugeData(labels, collector, clock.Steps));
            var s = start.Add(new GaugeData(labels, collector, clock.Steps));
            var e = end.Add(new GaugeData(labels, collector, clock.Steps));
            var value = economics.Limit(budget);
            for (var k = 0; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                l.Values[k] = value;
                s.Values[k] = FleetEconomics.PeriodStart(budget, t);
                e.Values[k] = FleetEconomics.PeriodEnd(budget, t);
            }
        }
    }

    private void Thresholds()
    {
        var family = Family("perfotel_alert_threshold", "gauge", OtherFile);
        var missing = Active("thresholds_missing").ToList();
        var all = ThresholdCatalog.Defaults.Select(d => (Labels: $"threshold=\"{d.Key}\"", d.Value))
            .Concat(fleet.ThresholdOverrides.Select(o => (Labels: $"threshold=\"{o.Threshold}\",gen_ai_agent_name=\"{o.Agent}\"", o.Value)))
            .OrderBy(x => x.Labels, StringComparer.Ordinal);
        foreach (var (labels, value) in all)
        {
            var series = family.Add(new GaugeData($"{CollectorTarget("PerfOtel.Thresholds")},{labels}", collector, clock.Steps));
            for (var k = 0; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                series.Values[k] = missing.Any(i => On(i, t)) ? double.NaN : value;
            }
        }
    }

    private sealed record ModelSeries(ModelUse Model, HistogramData Ok, HistogramData Failed, HistogramData Input, HistogramData Output, CounterData Cost, SlowNoise ErrorNoise);
}
