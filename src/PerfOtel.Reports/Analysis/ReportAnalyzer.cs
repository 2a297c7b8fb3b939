using PerfOtel.Reports.Data;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Analysis;

/// <summary>Turns what was read (<see cref="ReportData"/>) into what a report says (<see cref="ReportModel"/>).</summary>
internal static class ReportAnalyzer
{
    public static ReportModel Analyze(ReportKind kind, ReportRange range, ReportData data, string source, DateTimeOffset generatedAt)
    {
        var buckets = data.Buckets;
        var kpis = FleetKpis(data);
        var agents = AgentRows(data);
        var comparison = kind switch
        {
            ReportKind.Daily => "day over day",
            ReportKind.Weekly => "week over week",
            _ => "against the previous period",
        };

        var trends = TrendAnalysis.Find(kpis, agents, buckets, comparison);
        var bottlenecks = BottleneckAnalysis.Find(data.Current);
        var anomalies = AnomalyDetector.Find(buckets, data.Current.Kpis);
        var alerts = AlertAnalysis.Summarize(data.Alerts, range);
        var cost = CostAnalysis.Build(data, kpis.Single(k => k.Key == "cost_usd"), range);
        var forecasts = Forecaster.NextPeriod(buckets, range);
        var recommendations = Recommender.Recommend(data, agents, bottlenecks, anomalies, alerts, cost, comparison);

        var title = kind switch
        {
            ReportKind.Daily => "PerfOtel daily report",
            ReportKind.Weekly => "PerfOtel weekly report",
            ReportKind.Cost => "PerfOtel cost report",
            _ => "PerfOtel agent report",
        };

        return new ReportModel(
            kind,
            $"{title}: {ReportTime.Format(range.From)} to {ReportTime.Format(range.To)}",
            new Period(range.From, range.To),
            new Period(range.Previous.From, range.Previous.To),
            source,
            generatedAt,
            range.Step,
            data.Current.Kpis.TokenTypes,
            kpis,
            agents,
            trends,
            bottlenecks,
            anomalies,
            alerts,
            cost,
            forecasts,
            recommendations,
            buckets.Ends,
            buckets.CurrentStart,
            Series(buckets, data.Current.Kpis),
            new QueryStats(data.QueryCount, ReportReader.QueryBound, Math.Round(data.QueryTime.TotalSeconds, 3)));
    }

    private static List<KpiChange> FleetKpis(ReportData data)
    {
        var b = data.Buckets;
        var c = data.Current.Kpis.Total;
        var p = data.Previous.Kpis.Total;
        double?[] Nullable(double[] values) => values.Select(v => (double?)v).ToArray();

        var list = new List<KpiChange>
        {
            Amount("runs", "Agent runs", "count", c.Runs, p.Runs, b.RunsByAgentOutcome.Count > 0 ? Nullable(b.Runs()) : null, b),
            Proportion("success_ratio", "Run success ratio", c.SuccessfulRuns, c.Runs, p.SuccessfulRuns, p.Runs),
            Amount("p50_duration", "p50 run duration", "s", c.P50RunDurationSeconds, p.P50RunDurationSeconds, b.P50All, b),
            Amount("p95_duration", "p95 run duration", "s", c.P95RunDurationSeconds, p.P95RunDurationSeconds, b.P95All, b),
            Amount("speedup", "Speedup (estimate / actual)", "x", c.Speedup, p.Speedup, null, b),
            Amount("llm_calls", "LLM calls", "count", c.LlmCalls, p.LlmCalls, b.LlmCallsByAgent.Count > 0 ? Nullable(b.LlmCalls()) : null, b),
            Proportion("llm_error_ratio", "LLM call error ratio", c.FailedLlmCalls, c.LlmCalls, p.FailedLlmCalls, p.LlmCalls),
        };

        foreach (var type in data.Current.Kpis.TokenTypes.Union(data.Previous.Kpis.TokenTypes))
        {
            var series = b.TokensByType.TryGetValue(type, out var s) ? Nullable(s) : null;
            list.Add(Amount($"tokens_{(type.Length == 0 ? "untyped" : type)}", $"Tokens ({(type.Length == 0 ? "untyped" : type)})", "tokens", c.Tokens(type), p.Tokens(type), series, b));
        }

        list.Add(Amount("cost_usd", "LLM cost", "usd", c.CostUsd, p.CostUsd, b.CostByTeamAgent.Count > 0 ? Nullable(b.Cost()) : null, b));
        list.Add(Amount("blockers", "Blockers", "count", c.Blockers, p.Blockers, null, b));
        list.Add(Amount("retries", "Retries", "count", c.Retries, p.Retries, null, b));
        list.Add(Amount("lines_delivered", "Lines delivered", "count", c.LinesDelivered, p.LinesDelivered, null, b));
        return list;
    }

    private static List<AgentRow> AgentRows(ReportData data)
    {
        var names = data.Current.Kpis.Agents.Select(a => a.Agent).Union(data.Previous.Kpis.Agents.Select(a => a.Agent)).Order(StringComparer.Ordinal);
        var rows = new List<AgentRow>();
        foreach (var agent in names)
        {
            var c = data.Current.Kpis.For(agent);
            var p = data.Previous.Kpis.For(agent);
            var p95 = data.Buckets.P95ByAgent.GetValueOrDefault(agent);
            rows.Add(new AgentRow(
                agent,
                c,
                p,
                Amount("p95_duration", "p95 run duration", "s", c.P95RunDurationSeconds, p.P95RunDurationSeconds, p95, data.Buckets),
                Proportion("success_ratio", "Run success ratio", c.SuccessfulRuns, c.Runs, p.SuccessfulRuns, p.Runs)));
        }

        return rows;
    }

    /// <summary>An amount; its change is tested with Welch's z over the per-bucket values of the two periods.</summary>
    internal static KpiChange Amount(string key, string name, string unit, double? current, double? previous, IReadOnlyList<double?>? perBucket, BucketSeries buckets)
    {
        double? change = current is { } c && previous is { } p && p != 0 ? (c - p) / p : null;
        double? z = null;
        var method = "none";
        if (perBucket is not null)
        {
            var before = Values(perBucket, 0, buckets.CurrentStart);
            var after = Values(perBucket, buckets.CurrentStart, buckets.Count);
            z = Stats.WelchZ(before, after);
            method = "welch_buckets";
        }

        return new KpiChange(key, name, unit, current, previous, change, false, z, z is { } v && Math.Abs(v) >= Stats.SignificantZ, method);
    }

    /// <summary>A ratio of successes to trials; its change (in points) is tested with the two-proportion z-test.</summary>
    internal static KpiChange Proportion(string key, string name, double x, double n, double xPrevious, double nPrevious)
    {
        double? current = n > 0 ? x / n : null;
        double? previous = nPrevious > 0 ? xPrevious / nPrevious : null;
        var z = Stats.TwoProportionZ(xPrevious, nPrevious, x, n);
        return new KpiChange(key, name, "ratio", current, previous, current - previous, true, z, z is { } v && Math.Abs(v) >= Stats.SignificantZ, "two_proportion");
    }

    private static List<double> Values(IReadOnlyList<double?> series, int from, int to)
    {
        var list = new List<double>(Math.Max(0, to - from));
        for (var i = from; i < to; i++)
        {
            if (series[i] is { } v)
            {
                list.Add(v);
            }
        }

        return list;
    }

    /// <summary>Fleet series for charts and the JSON, with a trailing moving average of about a seventh of a period.</summary>
    private static List<TimeSeries> Series(BucketSeries b, KpiReport current)
    {
        var window = Math.Max(3, (b.Count - b.CurrentStart) / 7);
        TimeSeries Make(string key, string name, string unit, string agent, IReadOnlyList<double?> values) =>
            new(key, name, unit, agent, values, Stats.MovingAverage(values, window));
        double?[] Nullable(double[] values) => values.Select(v => (double?)v).ToArray();

        var runs = b.Runs();
        var failed = b.FailedRuns();
        var calls = b.LlmCalls();
        var failedCalls = b.FailedLlmCalls();
        var list = new List<TimeSeries>
        {
            Make("runs", "Agent runs", "count", "", Nullable(runs)),
            Make("failed_runs", "Runs not successful", "count", "", Nullable(failed)),
            Make("p50_duration", "p50 run duration", "s", "", b.P50All),
            Make("p95_duration", "p95 run duration", "s", "", b.P95All),
            Make("llm_error_ratio", "LLM call error ratio", "ratio", "", calls.Select((n, i) => n > 0 ? failedCalls[i] / n : (double?)null).ToArray()),
            Make("cost_usd", "LLM cost", "usd", "", Nullable(b.Cost())),
        };
        foreach (var (type, values) in b.TokensByType.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            list.Add(Make($"tokens_{type}", $"Tokens ({type})", "tokens", "", Nullable(values)));
        }

        // p95 of the busiest agents (at most 6, so a chart stays readable).
        foreach (var agent in current.Agents.OrderByDescending(a => a.Values.Runs).Take(6).Select(a => a.Agent))
        {
            if (b.P95ByAgent.TryGetValue(agent, out var p95))
            {
                list.Add(Make("agent_p95_duration", $"p95 run duration ({Rendering.KpiFormat.Agent(agent)})", "s", agent, p95));
            }
        }

        return list;
    }
}
