using System.Globalization;

namespace PerfOtel.AlertQuality.History;

/// <summary>
/// Places the incidents of a history: for each kind, random entities and times (from the seed) where the fault is
/// observable (an error spike needs calls, a stall needs runs to stop), never overlapping another fault on the same
/// entity, nor one whose slow windows (1-day and 7-day references, budgets' day) would still see it.
/// </summary>
internal sealed class IncidentPlanner
{
    public const string RuleGroupFailing = "/etc/prometheus/rules/perfotel-anomaly-recording.yml;perfotel-anomaly-baselines";
    public const string RuleGroupSlow = "/etc/prometheus/rules/perfotel-recording.yml;perfotel-agent-runs";
    public const string AlertmanagerUrl = "http://alertmanager:9093/api/v2/alerts";

    private const long Day = 86400;
    private readonly Fleet fleet;
    private readonly FleetEconomics economics;
    private readonly HistoryClock clock;
    private readonly RandomSource random;
    private readonly List<Claim> claims = [];

    private IncidentPlanner(Fleet fleet, FleetEconomics economics, HistoryClock clock, int seed)
    {
        this.fleet = fleet;
        this.economics = economics;
        this.clock = clock;
        random = new RandomSource(seed, "incident-plan");
    }

    /// <summary>
    /// Incidents of the given kinds between <paramref name="scoreFrom"/> and the end of the history:
    /// <paramref name="countPerKind"/> each, or the kind's rate per 10 days (at least one).
    /// </summary>
    public static (IReadOnlyList<Incident> Incidents, IReadOnlyList<string> Unplaced) Plan(
        Fleet fleet, FleetEconomics economics, HistoryClock clock, int seed, long scoreFrom, IEnumerable<IncidentKind> kinds, int? countPerKind)
    {
        var planner = new IncidentPlanner(fleet, economics, clock, seed);
        var incidents = new List<Incident>();
        var unplaced = new List<string>();
        var scoredDays = (clock.End - scoreFrom) / (double)Day;
        foreach (var kind in kinds)
        {
            var count = countPerKind ?? Math.Max(1, (int)Math.Round(kind.PerTenDays * scoredDays / 10));
            for (var i = 0; i < count; i++)
            {
                var placed = false;
                for (var attempt = 0; attempt < 600 && !placed; attempt++)
                {
                    if (planner.Propose(kind, scoreFrom, incidents.Count + 1) is { } proposal && !planner.Conflicts(proposal.Claims))
                    {
                        planner.claims.AddRange(proposal.Claims);
                        incidents.Add(proposal.Incident);
                        placed = true;
                    }
                }

                if (!placed)
                {
                    unplaced.Add(kind.Name);
                }
            }
        }

        incidents.Sort((a, b) => a.Start.CompareTo(b.Start));
        return ([.. incidents.Select((x, i) => x with { Id = i + 1 })], unplaced);
    }

    private bool Conflicts(IEnumerable<Claim> proposed) =>
        proposed.Any(p => claims.Any(c =>
            p.From < c.To && c.From < p.To
            && (p.Resource == c.Resource || ((p.Resource == "*" || c.Resource == "*") && !p.Echo && !c.Echo))));

    private Proposal? Propose(IncidentKind kind, long scoreFrom, int id)
    {
        var duration = Align((long)random.Uniform(kind.MinDuration.TotalSeconds, kind.MaxDuration.TotalSeconds));
        long lead = kind.Name switch
        {
            "host_memory" => Align((long)random.Uniform(1200, 2400)),
            "host_disk" => Align((long)random.Uniform(1800, 3600)),
            _ => 0,
        };
        var earliest = scoreFrom + lead + 600;
        var latest = clock.End - duration - (long)kind.Tail.TotalSeconds - 1800;
        if (latest <= earliest)
        {
            return null;
        }

        var start = Align((long)random.Uniform(earliest, latest));
        var end = start + duration;
        return kind.Target switch
        {
            IncidentTarget.AgentModel => AgentModel(kind, id, start, end),
            IncidentTarget.Agent or IncidentTarget.BudgetedAgent => Agent(kind, id, start, end),
            IncidentTarget.DailyBudgetedAgent => Forecast(kind, id, start, scoreFrom),
            IncidentTarget.Queue => Queue(kind, id, start, end),
            IncidentTarget.MinorComponent or IncidentTarget.MajorComponent => Component(kind, id, start, end),
            IncidentTarget.Host => Host(kind, id, start, end, lead),
            IncidentTarget.Collector => Simple(kind, id, start, end, "collector", new() { ["job"] = "perfotel-collector", ["instance"] = Fleet.CollectorInstance }, "*"),
            IncidentTarget.Monitoring => Monitoring(kind, id, start, end),
            _ => null,
        };
    }

    private Proposal? AgentModel(IncidentKind kind, int id, long start, long end)
    {
        var agent = random.Pick(fleet.Agents);
        var model = random.Pick(agent.Models);
        // Enough calls for the alerts' minimum-traffic guards (0.1 calls/s) all along.
        if (MinOver(start, end, t => agent.ExpectedRunsPerSecond(t) * model.CallsPerRun) < 0.15)
        {
            return null;
        }

        double magnitude;
        string detail;
        if (kind.Name == "llm_error_spike")
        {
            magnitude = Math.Round(random.Uniform(0.25, 0.5), 2);
            detail = $"error ratio {magnitude:0.00}";
        }
        else
        {
            // p95 at 1.5 to 3 times the agent's threshold: a latency factor on every call.
            var threshold = fleet.ThresholdOverrides.FirstOrDefault(o => o.Agent == agent.Name && o.Threshold == "llm_p95_latency_seconds").Value;
            threshold = threshold > 0 ? threshold : 30;
            var targetP95 = threshold * random.Uniform(1.5, 3);
            magnitude = Math.Round(targetP95 / (model.LatencyMedianSeconds * Math.Exp(1.645 * model.LatencySigma)), 2);
            detail = $"latency x{magnitude:0.0} (p95 about {targetP95:0} s, threshold {threshold:0} s)";
        }

        var labels = AgentLabels(agent);
        labels["gen_ai_provider_name"] = model.Provider;
        labels["gen_ai_request_model"] = model.Model;
        return new(
            new Incident(id, kind, agent.Name, labels, start, end, magnitude, detail) { Model = model.Model },
            [new Claim("agent:" + agent.Name, start - 3600, end + (long)kind.Settle.TotalSeconds)]);
    }

    private Proposal? Agent(IncidentKind kind, int id, long start, long end)
    {
        var candidates = kind.Target == IncidentTarget.BudgetedAgent ? fleet.Agents.Where(a => economics.BudgetOf(a) is not null).ToList() : [.. fleet.Agents];
        var agent = random.Pick(candidates);
        double RunsPerMinute(long t) => agent.ExpectedRunsPerSecond(t) * 60;
        double magnitude = 0;
        var detail = "";
        switch (kind.Name)
        {
            case "run_failures":
                if (MinOver(start, end, RunsPerMinute) < 2)
                {
                    return null;
                }

                magnitude = Math.Round(random.Uniform(0.6, 0.85), 2);
                detail = $"{magnitude:P0} of concluded runs fail";
                break;
            case "run_outage":
                if (MinOver(start, end, RunsPerMinute) < 0.5)
                {
                    return null;
                }

                magnitude = 0.97;
                detail = "97 % of concluded runs fail";
                break;
            case "slo_slow_burn":
                if (MinOver(start, end, RunsPerMinute) < 0.5)
                {
                    return null;
                }

                magnitude = Math.Round(random.Uniform(0.35, 0.5), 2);
                detail = $"{magnitude:P0} of concluded runs fail";
                break;
            case "run_duration":
                if (MinOver(start, end, RunsPerMinute) < 0.4)
                {
                    return null;
                }

                magnitude = Math.Round(random.Uniform(2.5, 4), 2);
                detail = $"runs x{magnitude:0.0} longer";
                break;
            case "blocked_streak":
                if (MinOver(start, end, RunsPerMinute) < 0.25)
                {
                    return null;
                }

                magnitude = 1;
                detail = "every run ends blocked";
                break;
            case "run_surge":
                magnitude = Math.Round(random.Uniform(5, 8), 1);
                detail = $"+{magnitude:0.0} x its 7-day mean run rate";
                break;
            case "run_stall":
                if (agent.Shape == TrafficShape.NightlyBatch)
                {
                    // The batch is skipped: its whole window.
                    start = HistoryClock.DayStart(start) + (long)(1.5 * 3600);
                    end = start + (2 * 3600);
                    if (start < clock.Start + Day || end + 3600 > clock.End)
                    {
                        return null;
                    }

                    detail = "the nightly batch does not run";
                }
                else
                {
                    if (MinOver(start, end, RunsPerMinute) < 2)
                    {
                        return null;
                    }

                    detail = "no run finishes";
                }

                break;
            case "cost_spike":
                // Several times the agent's usual spend, and material: at least USD 2 an hour more.
                var factor = Math.Round(random.Uniform(6, 12), 1);
                magnitude = Math.Max(factor, 2.0 / 3600 / economics.MeanSpendPerSecond(agent));
                detail = $"+{magnitude:0.0} x its 7-day mean spend rate (+{magnitude * economics.MeanSpendPerSecond(agent) * 3600:0.00} USD/h)";
                break;
            case "budget_fast_burn":
            case "budget_slow_burn":
                var budget = economics.BudgetOf(agent)!;
                magnitude = Math.Round(kind.Name == "budget_fast_burn" ? random.Uniform(25, 50) : random.Uniform(8, 12), 1);
                detail = $"extra spend at {magnitude:0.0} x the pace of the {budget.Period} budget {budget.Name} ({economics.Limit(budget):0.00} USD)";
                break;
            default:
                return null;
        }

        var settle = (long)kind.Settle.TotalSeconds;
        List<Claim> claimed = [new("agent:" + agent.Name, start - 3600, end + settle)];
        if (kind.Name is "run_surge" or "run_stall")
        {
            // The seasonal references of the run rate: the same hour a day and a week later must be ordinary.
            claimed.AddRange(Echoes("rate:" + agent.Name, start, end));
        }

        if (kind.Name is "run_surge" or "cost_spike" or "budget_fast_burn" or "budget_slow_burn")
        {
            claimed.AddRange(SpendClaims(agent, start, end));
        }

        return new(new Incident(id, kind, agent.Name, AgentLabels(agent), start, end, magnitude, detail), claimed);
    }

    /// <summary>Extra spend from a morning hour to midnight: the day ends at 1.3 times the daily limit.</summary>
    private Proposal? Forecast(IncidentKind kind, int id, long start, long scoreFrom)
    {
        var agent = random.Pick(fleet.Agents.Where(a => economics.BudgetOf(a)?.Period == "daily").ToList());
        var budget = economics.BudgetOf(agent)!;
        var day = HistoryClock.DayStart(start);
        start = Align(day + (long)(random.Uniform(5, 10) * 3600));
        var end = day + Day - clock.StepSeconds;
        if (start < scoreFrom || end + 3600 > clock.End)
        {
            return null;
        }

        var expected = economics.AgentsOf(budget).Sum(a => FleetEconomics.ExpectedSpend(a, day, day + Day));
        var extra = (1.3 * economics.Limit(budget)) - expected;
        var magnitude = extra / (end - start); // USD per second
        List<Claim> claimed = [new("agent:" + agent.Name, start - 3600, end + (long)kind.Settle.TotalSeconds), .. SpendClaims(agent, start, end)];
        return new(
            new Incident(id, kind, agent.Name, AgentLabels(agent), start, end, magnitude,
                string.Create(CultureInfo.InvariantCulture, $"extra {extra:0.00} USD until midnight: the day ends at 1.3 x the daily budget {budget.Name} ({economics.Limit(budget):0.00} USD)")),
            claimed);
    }

    private Proposal? Queue(IncidentKind kind, int id, long start, long end)
    {
        var queue = random.Pick(fleet.Queues);
        double Arrivals(long t) => QueueArrivalsPerMinute(queue, t);
        double magnitude;
        string detail;
        if (kind.Name == "queue_exhausted")
        {
            if (MinOver(start, end, Arrivals) < 0.5)
            {
                return null;
            }

            magnitude = 0;
            detail = "no new items";
        }
        else
        {
            // Executors at a tenth of their speed; the backlog must grow at twice the default threshold (50/h).
            magnitude = 0.1;
            var capacity = queue.Executors / queue.ServiceMinutes * magnitude;
            if (MinOver(start, end, t => (Arrivals(t) - capacity) * 60) < 100)
            {
                return null;
            }

            detail = "executors at 10 % of their speed";
        }

        return new(
            new Incident(id, kind, queue.Name, new Dictionary<string, string> { ["agent_queue_name"] = queue.Name }, start, end, magnitude, detail),
            [new Claim("queue:" + queue.Name, start - 3600, end + (long)kind.Settle.TotalSeconds)]);
    }

    private Proposal? Component(IncidentKind kind, int id, long start, long end)
    {
        var major = kind.Target == IncidentTarget.MajorComponent;
        var component = random.Pick(fleet.Components.Where(c => major ? c.Weight >= 3 : c.Weight <= 1).ToList());
        var labels = new Dictionary<string, string> { ["component"] = component.Name, ["probe_kind"] = component.ProbeKind };
        return new(
            new Incident(id, kind, component.Name, labels, start, end, 0, $"weight {component.Weight:0}"),
            [new Claim("components", start - 3600, end + (long)kind.Settle.TotalSeconds)]);
    }

    private Proposal? Host(IncidentKind kind, int id, long start, long end, long lead)
    {
        var host = random.Pick(fleet.Hosts);
        var labels = new Dictionary<string, string> { ["instance"] = host.Instance, ["job"] = "node" };
        var (magnitude, detail) = kind.Name switch
        {
            "host_cpu" => (Math.Round(random.Uniform(0.94, 0.985), 3), "CPU"),
            "host_memory" => (Math.Round(random.Uniform(0.93, 0.97), 3), "memory"),
            "host_disk" => (Math.Round(random.Uniform(0.88, 0.95), 3), "/ used"),
            _ => (0.0, "node_exporter down"),
        };
        if (kind.Name == "host_disk")
        {
            labels["mountpoint"] = "/";
        }

        if (magnitude > 0)
        {
            detail = $"{detail} at {magnitude:P1}";
        }

        return new(
            new Incident(id, kind, host.Instance, labels, start, end, magnitude, detail) { Lead = lead },
            [new Claim("host:" + host.Instance, start - lead - 3600, end + (long)kind.Settle.TotalSeconds)]);
    }

    private static Proposal? Monitoring(IncidentKind kind, int id, long start, long end)
    {
        var labels = kind.Name switch
        {
            "ingest_rejected" => new Dictionary<string, string> { ["reason"] = "unauthorized" },
            "rule_eval_failures" => new() { ["rule_group"] = RuleGroupFailing },
            "rule_iterations_missed" => new() { ["rule_group"] = RuleGroupSlow },
            "notifications_failing" => new() { ["integration"] = "slack" },
            _ => new() { ["alertmanager"] = AlertmanagerUrl },
        };
        return Simple(kind, id, start, end, kind.Name, labels, "monitoring:" + kind.Name);
    }

    private static Proposal Simple(IncidentKind kind, int id, long start, long end, string entity, Dictionary<string, string> labels, string resource) =>
        new(new Incident(id, kind, entity, labels, start, end, 0, kind.Summary), [new Claim(resource, start - 3600, end + (long)kind.Settle.TotalSeconds)]);

    private IEnumerable<Claim> SpendClaims(AgentSpec agent, long start, long end)
    {
        var budget = economics.BudgetOf(agent);
        foreach (var claim in Echoes("spend:" + agent.Name, start, end))
        {
            yield return claim;
        }

        if (budget is not null)
        {
            // Forecasts and burn rates read a day of spend of the whole budget.
            yield return new Claim("budget:" + budget.Name, start - 3600, end + (27 * 3600));
        }
    }

    /// <summary>The fault itself and the same hours a day and a week later (the seasonal references).</summary>
    private static IEnumerable<Claim> Echoes(string resource, long start, long end)
    {
        yield return new Claim(resource, start - 3600, end + 3600);
        yield return new Claim(resource, start + Day - 3600, end + Day + 3600, Echo: true);
        yield return new Claim(resource, start + (7 * Day) - 3600, end + (7 * Day) + 3600, Echo: true);
    }

    public static double QueueArrivalsPerMinute(QueueSpec queue, long t)
    {
        var h = HistoryClock.HourOfDay(t);
        var day = h < 6 || h > 22 ? 0 : 0.5 * (1 - Math.Cos(2 * Math.PI * (h - 6) / 16));
        var level = queue.NightArrivalsPerMinute + ((queue.PeakArrivalsPerMinute - queue.NightArrivalsPerMinute) * day);
        return HistoryClock.IsWeekend(t) ? level * 0.6 : level;
    }

    private static Dictionary<string, string> AgentLabels(AgentSpec agent) =>
        new() { ["gen_ai_agent_name"] = agent.Name, ["agent_team"] = agent.Team };

    private static double MinOver(long from, long to, Func<long, double> f)
    {
        var min = double.MaxValue;
        for (var t = from; t <= to; t += 300)
        {
            min = Math.Min(min, f(t));
        }

        return Math.Min(min, f(to));
    }

    private long Align(long t) => t - (((t - clock.Start) % clock.StepSeconds) + clock.StepSeconds) % clock.StepSeconds;

    private sealed record Claim(string Resource, long From, long To, bool Echo = false);

    private sealed record Proposal(Incident Incident, IReadOnlyList<Claim> Claims);
}
