using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Kpis;

/// <summary>Runs the <see cref="KpiQueries"/> for a range and assembles the per-agent and total KPIs.</summary>
internal static class KpiReader
{
    public static async Task<KpiReport> ReadAsync(PrometheusClient prometheus, ReportRange range, CancellationToken cancellationToken)
    {
        var window = PromQl.Duration(range.Window);
        var runs = await prometheus.QueryAsync(KpiQueries.Runs(window), range.To, cancellationToken);
        var p95ByAgent = await prometheus.QueryAsync(KpiQueries.RunDurationP95ByAgent(window), range.To, cancellationToken);
        var p95Total = await prometheus.QueryAsync(KpiQueries.RunDurationP95Total(window), range.To, cancellationToken);
        var calls = await prometheus.QueryAsync(KpiQueries.LlmCalls(window), range.To, cancellationToken);
        var tokens = await prometheus.QueryAsync(KpiQueries.Tokens(window), range.To, cancellationToken);

        var agents = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        Accumulator For(PrometheusSeries s)
        {
            var name = s.Label(KpiQueries.AgentLabel);
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
            if (s.Label(KpiQueries.OutcomeLabel) == KpiQueries.SuccessOutcome)
            {
                acc.SuccessfulRuns += s.Value;
            }
        }

        foreach (var s in calls)
        {
            var acc = For(s);
            acc.LlmCalls += s.Value;
            if (s.Label(KpiQueries.ErrorTypeLabel).Length > 0)
            {
                acc.FailedLlmCalls += s.Value;
            }
        }

        var tokenTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in tokens)
        {
            var type = s.Label(KpiQueries.TokenTypeLabel);
            tokenTypes.Add(type);
            var acc = For(s);
            acc.Tokens[type] = acc.Tokens.GetValueOrDefault(type) + s.Value;
        }

        // A quantile alone (buckets but no _count) does not make an agent appear.
        foreach (var s in p95ByAgent)
        {
            if (agents.TryGetValue(s.Label(KpiQueries.AgentLabel), out var acc))
            {
                acc.P95 = Quantile(s.Value);
            }
        }

        var total = new Accumulator { P95 = p95Total.Count > 0 ? Quantile(p95Total[0].Value) : null };
        foreach (var acc in agents.Values)
        {
            total.Add(acc);
        }

        return new KpiReport(
            total.ToValues(),
            agents.Select(a => new AgentKpis(a.Key, a.Value.ToValues())).ToList(),
            OrderTokenTypes(tokenTypes));
    }

    /// <summary>NaN (no observations) and ±Inf (no finite bucket to interpolate in) mean "no value".</summary>
    private static double? Quantile(double value) => double.IsFinite(value) ? value : null;

    private static List<string> OrderTokenTypes(HashSet<string> types)
    {
        string[] known = ["input", "output"];
        return known.Where(types.Contains).Concat(types.Except(known).Order(StringComparer.Ordinal)).ToList();
    }

    private sealed class Accumulator
    {
        public double Runs { get; set; }

        public double SuccessfulRuns { get; set; }

        public double? P95 { get; set; }

        public double LlmCalls { get; set; }

        public double FailedLlmCalls { get; set; }

        public Dictionary<string, double> Tokens { get; } = new(StringComparer.Ordinal);

        public void Add(Accumulator other)
        {
            Runs += other.Runs;
            SuccessfulRuns += other.SuccessfulRuns;
            LlmCalls += other.LlmCalls;
            FailedLlmCalls += other.FailedLlmCalls;
            foreach (var (type, n) in other.Tokens)
            {
                Tokens[type] = Tokens.GetValueOrDefault(type) + n;
            }
        }

        public KpiValues ToValues() => new(Runs, SuccessfulRuns, Runs > 0 ? P95 : null, LlmCalls, FailedLlmCalls, new Dictionary<string, double>(Tokens));
    }
}
