using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Prometheus;
using static PerfOtel.Reports.ReportMetrics;

namespace PerfOtel.Reports.Data;

/// <summary>Assembles one period's KPIs, model usage, costs, phases and latencies from the answers of its queries.</summary>
internal static class PeriodReader
{
    /// <summary>Index of the runs query in <see cref="Queries"/>.</summary>
    public const int RunsIndex = 0;

    /// <summary>Index of the run-duration buckets query in <see cref="Queries"/>.</summary>
    public const int RunBucketsIndex = 1;

    /// <summary>The queries of one period, in the order <see cref="Assemble"/> takes their answers.</summary>
    public static string[] Queries(string window) =>
    [
        ReportQueries.Runs(window),
        ReportQueries.RunBuckets(window),
        ReportQueries.LlmCalls(window),
        ReportQueries.Tokens(window),
        ReportQueries.RunCounters(window),
        ReportQueries.Cost(window),
        ReportQueries.Phases(window),
        ReportQueries.ModelLatency(window),
    ];

    public static PeriodData Assemble(Time.ReportRange range, IReadOnlyList<IReadOnlyList<PrometheusSeries>> answers)
    {
        var (runs, buckets, calls, tokens, counters, cost, phases, latency) =
            (answers[0], answers[1], answers[2], answers[3], answers[4], answers[5], answers[6], answers[7]);

        var agents = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        Accumulator For(PrometheusSeries s)
        {
            var name = s.Label(Agent);
            if (!agents.TryGetValue(name, out var acc))
            {
                agents[name] = acc = new Accumulator();
            }

            return acc;
        }

        foreach (var s in runs)
        {
            var acc = For(s);
            acc.Runs += s.Value;
            if (s.Label(Outcome) == SuccessOutcome)
            {
                acc.SuccessfulRuns += s.Value;
            }
        }

        var models = new Dictionary<(string Agent, string Provider, string Model), (double Calls, double Failed, double Cost)>();
        foreach (var s in calls)
        {
            var acc = For(s);
            var failed = s.Label(ErrorType).Length > 0;
            acc.LlmCalls += s.Value;
            acc.FailedLlmCalls += failed ? s.Value : 0;
            var key = (s.Label(Agent), s.Label(Provider), s.Label(Model));
            var m = models.GetValueOrDefault(key);
            models[key] = (m.Calls + s.Value, m.Failed + (failed ? s.Value : 0), m.Cost);
        }

        var tokenTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in tokens)
        {
            var type = s.Label(TokenType);
            tokenTypes.Add(type);
            var acc = For(s);
            acc.Tokens[type] = acc.Tokens.GetValueOrDefault(type) + s.Value;
        }

        var costs = new List<CostRow>();
        foreach (var s in cost)
        {
            For(s).Cost += s.Value;
            costs.Add(new CostRow(s.Label(Provider), s.Label(Model), s.Label(Agent), s.Label(Team), s.Value));
            var key = (s.Label(Agent), s.Label(Provider), s.Label(Model));
            var m = models.GetValueOrDefault(key);
            models[key] = (m.Calls, m.Failed, m.Cost + s.Value);
        }

        // Counters and quantiles alone (no runs, calls, tokens or cost) do not make an agent appear.
        foreach (var s in counters)
        {
            if (agents.TryGetValue(s.Label(Agent), out var acc))
            {
                acc.Counters[s.Label(ReportQueries.PartLabel)] = acc.Counters.GetValueOrDefault(s.Label(ReportQueries.PartLabel)) + s.Value;
            }
        }

        var total = new Accumulator();
        var (byAgent, all) = Buckets(buckets);
        foreach (var (agent, counts) in byAgent)
        {
            if (agents.TryGetValue(agent, out var acc))
            {
                acc.P50 = Quantile(HistogramQuantile.Of(0.5, counts));
                acc.P95 = Quantile(HistogramQuantile.Of(0.95, counts));
            }
        }

        total.P50 = Quantile(HistogramQuantile.Of(0.5, all));
        total.P95 = Quantile(HistogramQuantile.Of(0.95, all));

        foreach (var acc in agents.Values)
        {
            total.Add(acc);
        }

        var kpis = new KpiReport(
            total.ToValues(),
            agents.Select(a => new AgentKpis(a.Key, a.Value.ToValues())).ToList(),
            OrderTokenTypes(tokenTypes));

        var latencies = latency
            .GroupBy(s => (Provider: s.Label(Provider), Model: s.Label(Model)))
            .Select(g => new ModelLatency(
                g.Key.Provider,
                g.Key.Model,
                g.Where(s => s.Label(ReportQueries.PartLabel) == "p95").Select(s => Quantile(s.Value)).FirstOrDefault(),
                g.Where(s => s.Label(ReportQueries.PartLabel) == "seconds").Sum(s => s.Value)))
            .OrderBy(l => l.Provider, StringComparer.Ordinal).ThenBy(l => l.Model, StringComparer.Ordinal)
            .ToList();

        return new PeriodData(
            range,
            kpis,
            models.Select(kv => new ModelUsage(kv.Key.Agent, kv.Key.Provider, kv.Key.Model, kv.Value.Calls, kv.Value.Failed, kv.Value.Cost))
                .OrderBy(m => m.Agent, StringComparer.Ordinal).ThenBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)
                .ToList(),
            costs,
            phases.Select(s => new PhaseTime(s.Label(Agent), s.Label(Phase), s.Value)).Where(p => p.Seconds > 0).ToList(),
            latencies);
    }

    /// <summary>Bucket counts (upper bound → cumulative count) per agent and summed over all agents.</summary>
    internal static (Dictionary<string, Dictionary<double, double>> ByAgent, Dictionary<double, double> All) Buckets(IEnumerable<PrometheusSeries> buckets)
    {
        var byAgent = new Dictionary<string, Dictionary<double, double>>(StringComparer.Ordinal);
        var all = new Dictionary<double, double>();
        foreach (var s in buckets)
        {
            if (HistogramQuantile.UpperBound(s.Label(Le)) is not { } le || !double.IsFinite(s.Value))
            {
                continue;
            }

            if (!byAgent.TryGetValue(s.Label(Agent), out var counts))
            {
                byAgent[s.Label(Agent)] = counts = [];
            }

            counts[le] = counts.GetValueOrDefault(le) + s.Value;
            all[le] = all.GetValueOrDefault(le) + s.Value;
        }

        return (byAgent, all);
    }

    /// <summary>NaN (no observations) and ±Inf (no finite bucket to interpolate in) mean "no value".</summary>
    internal static double? Quantile(double value) => double.IsFinite(value) ? value : null;

    private static List<string> OrderTokenTypes(HashSet<string> types)
    {
        string[] known = ["input", "output"];
        return known.Where(types.Contains).Concat(types.Except(known).Order(StringComparer.Ordinal)).ToList();
    }

    private sealed class Accumulator
    {
        public double Runs { get; set; }

        public double SuccessfulRuns { get; set; }

        public double? P50 { get; set; }

        public double? P95 { get; set; }

        public double LlmCalls { get; set; }

        public double FailedLlmCalls { get; set; }

        public double Cost { get; set; }

        public Dictionary<string, double> Tokens { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> Counters { get; } = new(StringComparer.Ordinal);

        public void Add(Accumulator other)
        {
            Runs += other.Runs;
            SuccessfulRuns += other.SuccessfulRuns;
            LlmCalls += other.LlmCalls;
            FailedLlmCalls += other.FailedLlmCalls;
            Cost += other.Cost;
            foreach (var (type, n) in other.Tokens)
            {
                Tokens[type] = Tokens.GetValueOrDefault(type) + n;
            }

            foreach (var (part, n) in other.Counters)
            {
                Counters[part] = Counters.GetValueOrDefault(part) + n;
            }
        }

        public KpiValues ToValues() => new()
        {
            Runs = Runs,
            SuccessfulRuns = SuccessfulRuns,
            P50RunDurationSeconds = Runs > 0 ? P50 : null,
            P95RunDurationSeconds = Runs > 0 ? P95 : null,
            RunSeconds = Counters.GetValueOrDefault("run_seconds"),
            LlmCalls = LlmCalls,
            FailedLlmCalls = FailedLlmCalls,
            TokensByType = new Dictionary<string, double>(Tokens),
            CostUsd = Cost,
            EstimateSeconds = Counters.GetValueOrDefault("estimate_seconds"),
            EstimateActualSeconds = Counters.GetValueOrDefault("estimate_actual_seconds"),
            Blockers = Counters.GetValueOrDefault("blockers"),
            LinesDelivered = Counters.GetValueOrDefault("lines_delivered"),
            Retries = Counters.GetValueOrDefault("retries"),
        };
    }
}
