using System.Globalization;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>What a report says, section by section, as <see cref="Block"/>s for the Markdown and HTML renderers.</summary>
internal static class ReportSections
{
    private static readonly string[] CostCategories = ["budget", "cheaper_model", "unpriced", "failing_model"];

    public static List<Block> Build(ReportModel m)
    {
        var blocks = new List<Block> { new Heading(1, m.Title) };
        var p = m.Period;
        blocks.Add(new Bullets(
        [
            Item($"Period: {ReportTime.Format(p.From)} (exclusive) to {ReportTime.Format(p.To)} (inclusive), {ReportTime.FormatSpan(p.To - p.From)}; compared with {ReportTime.Format(m.PreviousPeriod.From)} to {ReportTime.Format(m.PreviousPeriod.To)}"),
            Item($"Source: Prometheus at {m.Source}"),
            Item($"Generated: {ReportTime.Format(m.GeneratedAt)}"),
            Item(string.Create(CultureInfo.InvariantCulture, $"Prometheus queries: {m.Queries.Queries} (bound {m.Queries.Bound}), {m.Queries.Seconds:0.00} s; series in {ReportTime.FormatSpan(m.Step)} buckets")),
        ]));

        var cost = m.Kind == ReportKind.Cost;
        Recommendations(blocks, cost ? m.Recommendations.Where(r => CostCategories.Contains(r.Category)).ToList() : m.Recommendations);
        if (!cost)
        {
            Kpis(blocks, m);
            blocks.Add(new Charts());
            Trends(blocks, m);
            Agents(blocks, m);
            Bottlenecks(blocks, m);
            Anomalies(blocks, m);
            Alerts(blocks, m);
        }

        Cost(blocks, m, detailed: cost);
        if (cost)
        {
            blocks.Add(new Charts());
        }

        Forecasts(blocks, cost ? m.Forecasts.Where(f => f.Key == "cost_usd").ToList() : m.Forecasts);
        blocks.Add(new Heading(2, "How to read this report"));
        blocks.Add(new Paragraph(
            "Runs, calls, tokens and USD are the counters' exact increase over the period (approximate only across a counter reset); " +
            "p50/p95 are interpolated within the run-duration histogram's buckets. A change is larger than normal variation when |z| ≥ 1.96: " +
            "Welch's z over the per-bucket values of both periods for amounts and durations, the two-proportion z-test for ratios. " +
            "Anomalies are buckets outside Tukey's far fences (Q1 − 3 IQR, Q3 + 3 IQR) of their series with |z| ≥ 3. " +
            "Forecasts extend a least-squares line through the per-bucket values, with a 95% prediction interval; the backtest applies the same method to earlier data."));
        return blocks;
    }

    private static ListItem Item(string text, params string[] sub) => new(text, sub);

    private static void Recommendations(List<Block> blocks, IReadOnlyList<Recommendation> recommendations)
    {
        blocks.Add(new Heading(2, "Recommendations"));
        if (recommendations.Count == 0)
        {
            blocks.Add(new Paragraph("Nothing in the data calls for action."));
            return;
        }

        blocks.Add(new Numbered(recommendations.Select(r => new ListItem(r.Action, r.Evidence, r.Title)).ToList()));
    }

    private static void Kpis(List<Block> blocks, ReportModel m)
    {
        blocks.Add(new Heading(2, "KPIs"));
        blocks.Add(new Table(
            ["KPI", "This period", "Previous period", "Change", "Larger than normal variation"],
            [false, true, true, true, false],
            m.Kpis.Select(k => (IReadOnlyList<string>)
            [
                k.Name,
                KpiFormat.Value(k.Current, k.Unit),
                KpiFormat.Value(k.Previous, k.Unit),
                k.ChangeIsAbsolute ? KpiFormat.Points(k.Change) : KpiFormat.Change(k.Change),
                Significance(k),
            ]).ToList()));
    }

    internal static string Significance(KpiChange k) => k.Z is null
        ? KpiFormat.NoValue
        : (k.Significant ? "yes" : "no") + $" (z = {KpiFormat.Z(k.Z)})";

    private static void Trends(List<Block> blocks, ReportModel m)
    {
        blocks.Add(new Heading(2, "Trends"));
        blocks.Add(m.Trends.Count == 0
            ? new Paragraph("No change or trend larger than normal variation.")
            : new Bullets(m.Trends.Select(t => new ListItem(t.Text, t.Evidence)).ToList()));
    }

    private static void Agents(List<Block> blocks, ReportModel m)
    {
        blocks.Add(new Heading(2, "Per agent"));
        string[] headers =
        [
            "Agent", "Runs", "Run success ratio", "p50 run duration", "p95 run duration", "p95 change", "LLM calls", "LLM call error ratio",
            .. m.TokenTypes.Select(t => $"Tokens ({(t.Length == 0 ? "untyped" : t)})"), "Cost", "Cost per successful run", "Speedup",
        ];
        blocks.Add(new Table(
            headers,
            [false, .. Enumerable.Repeat(true, headers.Length - 1)],
            m.Agents.Where(a => a.Current.Runs > 0 || a.Current.LlmCalls > 0 || a.Current.CostUsd > 0 || a.Current.TokensByType.Count > 0).Select(a =>
            {
                var v = a.Current;
                return (IReadOnlyList<string>)
                [
                    KpiFormat.Agent(a.Agent), KpiFormat.Count(v.Runs), KpiFormat.Ratio(v.SuccessRatio), KpiFormat.Seconds(v.P50RunDurationSeconds),
                    KpiFormat.Seconds(v.P95RunDurationSeconds), KpiFormat.Change(a.P95.Change), KpiFormat.Count(v.LlmCalls), KpiFormat.Ratio(v.LlmErrorRatio),
                    .. m.TokenTypes.Select(t => KpiFormat.Count(v.Tokens(t))), KpiFormat.Usd(v.CostUsd), KpiFormat.Usd(v.CostPerSuccessfulRun),
                    KpiFormat.Value(v.Speedup, "x"),
                ];
            }).ToList()));
    }

    private static void Bottlenecks(List<Block> blocks, ReportModel m)
    {
        var b = m.Bottlenecks;
        blocks.Add(new Heading(2, "Bottlenecks"));
        blocks.Add(new Heading(3, "Phases by share of run time"));
        blocks.Add(b.Phases.Count == 0
            ? new Paragraph("No phase timings in the period.")
            : new Table(
                ["Rank", "Phase", "Time", "Share of run time", "Agent spending most"],
                [true, false, true, true, false],
                b.Phases.Select(ph => (IReadOnlyList<string>)
                [
                    ph.Rank.ToString(CultureInfo.InvariantCulture), ph.Phase, KpiFormat.Duration(TimeSpan.FromSeconds(ph.Seconds)), KpiFormat.Ratio(ph.Share),
                    $"{KpiFormat.Agent(ph.TopAgent)} ({KpiFormat.Duration(TimeSpan.FromSeconds(ph.TopAgentSeconds))})",
                ]).ToList()));
        blocks.Add(new Heading(3, "Slowest agents"));
        blocks.Add(b.SlowestAgents.Count == 0
            ? new Paragraph("No runs in the period.")
            : new Table(
                ["Rank", "Agent", "p95 run duration", "p50 run duration", "Runs"],
                [true, false, true, true, true],
                b.SlowestAgents.Select(a => (IReadOnlyList<string>)
                [
                    a.Rank.ToString(CultureInfo.InvariantCulture), KpiFormat.Agent(a.Agent), KpiFormat.Seconds(a.P95Seconds), KpiFormat.Seconds(a.P50Seconds), KpiFormat.Count(a.Runs),
                ]).ToList()));
        blocks.Add(new Heading(3, "Slowest models"));
        blocks.Add(b.SlowestModels.Count == 0
            ? new Paragraph("No LLM calls in the period.")
            : new Table(
                ["Rank", "Provider", "Model", "p95 call duration", "Mean call duration", "Calls"],
                [true, false, false, true, true, true],
                b.SlowestModels.Select(x => (IReadOnlyList<string>)
                [
                    x.Rank.ToString(CultureInfo.InvariantCulture), x.Provider, x.Model, KpiFormat.Seconds(x.P95Seconds), KpiFormat.Seconds(x.MeanSeconds), KpiFormat.Count(x.Calls),
                ]).ToList()));
    }

    private static void Anomalies(List<Block> blocks, ReportModel m)
    {
        blocks.Add(new Heading(2, "Anomalies"));
        blocks.Add(m.Anomalies.Count == 0
            ? new Paragraph("No period or agent outside its baseline.")
            : new Bullets(m.Anomalies.Select(a => Item(a.Text)).ToList()));
    }

    private static void Alerts(List<Block> blocks, ReportModel m)
    {
        blocks.Add(new Heading(2, "Alerts"));
        if (m.Alerts.Alerts.Count == 0)
        {
            blocks.Add(new Paragraph("No alert fired in this period or the previous one."));
            return;
        }

        blocks.Add(new Table(
            ["Severity", "Fired", "Previous period", "Time firing"],
            [false, true, true, true],
            m.Alerts.BySeverity.Select(s => (IReadOnlyList<string>)
            [
                s.Severity.Length == 0 ? "(none)" : s.Severity, s.Fired.ToString(CultureInfo.InvariantCulture), s.PreviousFired.ToString(CultureInfo.InvariantCulture), KpiFormat.Duration(s.FiringTime),
            ]).ToList()));
        blocks.Add(new Table(
            ["Alert", "Severity", "Fired", "Time firing", "Mean time to resolve", "Longest", "Still firing"],
            [false, false, true, true, true, true, true],
            m.Alerts.Alerts.Select(a => (IReadOnlyList<string>)
            [
                a.AlertName, a.Severity, a.Fired.ToString(CultureInfo.InvariantCulture), KpiFormat.Duration(a.FiringTime), KpiFormat.Duration(a.MeanTimeToResolve),
                KpiFormat.Duration(a.MaxTimeToResolve), a.StillFiring.ToString(CultureInfo.InvariantCulture),
            ]).ToList()));
    }

    private static void Cost(List<Block> blocks, ReportModel m, bool detailed)
    {
        var c = m.Cost;
        blocks.Add(new Heading(2, "Cost"));
        blocks.Add(new Bullets(
        [
            Item($"Total: {KpiFormat.Usd(c.Total.Current)} (previous period {KpiFormat.Usd(c.Total.Previous)}, {KpiFormat.Change(c.Total.Change)}; larger than normal variation: {Significance(c.Total)})"),
            Item($"Cost per successful run: {KpiFormat.Usd(c.UsdPerSuccessfulRun)}"),
        ]));

        blocks.Add(new Heading(3, "By model"));
        blocks.Add(c.ByModel.Count == 0
            ? new Paragraph("No cost recorded in the period.")
            : new Table(
                ["Provider", "Model", "Cost", "Share", "Calls", "Cost per call"],
                [false, false, true, true, true, true],
                c.ByModel.Select(x => (IReadOnlyList<string>)[x.Provider, x.Model, KpiFormat.Usd(x.Usd), KpiFormat.Ratio(x.Share), KpiFormat.Count(x.Calls), KpiFormat.Usd(x.UsdPerCall)]).ToList()));

        if (detailed)
        {
            blocks.Add(new Heading(3, "By agent"));
            blocks.Add(new Table(
                ["Agent", "Cost", "Previous period", "Successful runs", "Cost per successful run"],
                [false, true, true, true, true],
                c.ByAgent.Select(a => (IReadOnlyList<string>)[KpiFormat.Agent(a.Agent), KpiFormat.Usd(a.Usd), KpiFormat.Usd(a.PreviousUsd), KpiFormat.Count(a.SuccessfulRuns), KpiFormat.Usd(a.UsdPerSuccessfulRun)]).ToList()));
        }

        blocks.Add(new Heading(3, "By team"));
        blocks.Add(new Table(
            ["Team", "Cost", "Share"],
            [false, true, true],
            c.ByTeam.Select(t => (IReadOnlyList<string>)[t.Name.Length == 0 ? "(none)" : t.Name, KpiFormat.Usd(t.Usd), KpiFormat.Ratio(t.Share)]).ToList()));

        blocks.Add(new Heading(3, "Budgets"));
        blocks.Add(c.Budgets.Count == 0
            ? new Paragraph("No budget configured (agent_budget_limit_usd).")
            : new Table(
                ["Scope", "Name", "Period", "Limit", "Spent", "Used", "Rate per hour", "Projected at period end", "Status"],
                [false, false, false, true, true, true, true, true, false],
                c.Budgets.Select(b => (IReadOnlyList<string>)
                [
                    b.Scope, b.Name, $"{b.Period} from {ReportTime.Format(b.BudgetPeriod.From)}", KpiFormat.Usd(b.LimitUsd), KpiFormat.Usd(b.SpentUsd), KpiFormat.Ratio(b.UsedRatio),
                    KpiFormat.Usd(b.RateUsdPerHour), KpiFormat.Usd(b.ProjectedUsd),
                    b.Status switch
                    {
                        "will_run_out" => $"runs out at {ReportTime.Format(b.ExhaustedAt!.Value)}",
                        "exhausted" => "exhausted",
                        _ => "ok",
                    },
                ]).ToList()));

        if (c.Unpriced.Count > 0)
        {
            blocks.Add(new Heading(3, "Unpriced tokens (not in the cost)"));
            blocks.Add(new Table(
                ["Provider", "Model", "Token type", "Tokens"],
                [false, false, false, true],
                c.Unpriced.Select(u => (IReadOnlyList<string>)[u.Provider, u.Model, u.TokenType, KpiFormat.Count(u.Tokens)]).ToList()));
        }
    }

    private static void Forecasts(List<Block> blocks, IReadOnlyList<Forecast> forecasts)
    {
        blocks.Add(new Heading(2, "Forecasts"));
        if (forecasts.Count == 0)
        {
            blocks.Add(new Paragraph("Too little data to forecast (at least 6 buckets with data)."));
            return;
        }

        blocks.Add(new Table(
            ["Forecast", "Period", "Value", "95% interval", "Backtest (held-out period)", "Backtest error", "Truth within interval"],
            [false, false, true, true, false, true, false],
            forecasts.Select(f => (IReadOnlyList<string>)
            [
                f.Name,
                $"{ReportTime.Format(f.Period.From)} to {ReportTime.Format(f.Period.To)}",
                KpiFormat.Value(f.Value, f.Unit),
                $"{KpiFormat.Value(f.Low, f.Unit)} to {KpiFormat.Value(f.High, f.Unit)}",
                f.Backtest is { } b ? $"predicted {KpiFormat.Value(b.Predicted, f.Unit)}, actual {KpiFormat.Value(b.Actual, f.Unit)}" : "too little data",
                f.Backtest is { } e ? KpiFormat.Ratio(e.AbsolutePercentageError) : KpiFormat.NoValue,
                f.Backtest is { } w ? (w.WithinInterval ? "yes" : "no") : KpiFormat.NoValue,
            ]).ToList()));
    }
}
