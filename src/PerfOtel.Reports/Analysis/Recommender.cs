using System.Globalization;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// Recommendations derived from the data, each with the numbers that support it, most urgent first: budgets that
/// run out, regressions and anomalies, failing models, cheaper models, dominant phases, unpriced models, noisy alerts.
/// </summary>
internal static class Recommender
{
    /// <summary>A cheaper model must cost at most this share per call ...</summary>
    public const double CheaperCostRatio = 0.8;

    /// <summary>... and succeed no more than this much less often (ratio points) ...</summary>
    public const double SimilarSuccessPoints = 0.02;

    /// <summary>... with at least this many calls on each model.</summary>
    public const double MinCalls = 30;

    public const double DominantPhaseShare = 0.4;
    public const double FailingModelRatio = 0.05;
    public const double FailingModelMinCalls = 50;

    public static List<Recommendation> Recommend(
        ReportData data, IReadOnlyList<AgentRow> agents, Bottlenecks bottlenecks, IReadOnlyList<Anomaly> anomalies, AlertSummary alerts, CostSection cost, string comparison)
    {
        var list = new List<(int Category, double Impact, string Kind, string Title, string Action, List<string> Evidence)>();

        foreach (var b in cost.Budgets.Where(b => b.Status != "ok"))
        {
            var who = $"{b.Scope} {b.Name}";
            var evidence = new List<string>
            {
                $"{b.Period} budget {KpiFormat.Usd(b.LimitUsd)}, spent {KpiFormat.Usd(b.SpentUsd)} ({KpiFormat.Ratio(b.UsedRatio)}) in the period from {ReportTime.Format(b.BudgetPeriod.From)}",
                $"mean spend over the report period: {KpiFormat.Usd(b.RateUsdPerHour)} per hour; projected {KpiFormat.Usd(b.ProjectedUsd)} by {ReportTime.Format(b.BudgetPeriod.To)}",
            };
            var title = b.Status == "exhausted"
                ? $"The {b.Period} budget of {who} is exhausted"
                : $"The {b.Period} budget of {who} runs out at {ReportTime.Format(b.ExhaustedAt!.Value)}, before its period ends";
            list.Add((0, b.ProjectedUsd - b.LimitUsd, "budget", title, $"Raise the {b.Period} limit of {who} or cut its spend (cheaper models, fewer retries) before then.", evidence));
        }

        foreach (var row in agents)
        {
            if (row.P95.Significant && row.P95.Change is > 0.2)
            {
                list.Add((1, row.P95.Change.Value, "regression",
                    $"p95 run duration of agent {KpiFormat.Agent(row.Agent)} rose {KpiFormat.Change(row.P95.Change).TrimStart('+')} {comparison}",
                    $"Investigate what changed for agent {KpiFormat.Agent(row.Agent)}: its slowest runs got slower.",
                    [$"p95 {KpiFormat.Seconds(row.P95.Previous)} → {KpiFormat.Seconds(row.P95.Current)}", TrendAnalysis.Evidence(row.P95)]));
            }

            if (row.SuccessRatio.Significant && row.SuccessRatio.Change is < -0.05)
            {
                list.Add((1, -row.SuccessRatio.Change.Value, "regression",
                    $"Success ratio of agent {KpiFormat.Agent(row.Agent)} fell {KpiFormat.Points(row.SuccessRatio.Change).TrimStart('-')} {comparison}",
                    $"Look at the failures of agent {KpiFormat.Agent(row.Agent)} (error types in the runs) and fix the most frequent one.",
                    [$"success ratio {KpiFormat.Ratio(row.SuccessRatio.Previous)} → {KpiFormat.Ratio(row.SuccessRatio.Current)} ({KpiFormat.Count(row.Current.FailedRuns)} of {KpiFormat.Count(row.Current.Runs)} runs not successful)", TrendAnalysis.Evidence(row.SuccessRatio)]));
            }
        }

        foreach (var a in anomalies.Take(5))
        {
            list.Add((1, Math.Abs(a.Z) / 100, "anomaly",
                a.Kind == "period"
                    ? $"Check agent {KpiFormat.Agent(a.Agent)} between {ReportTime.Format(a.From)} and {ReportTime.Format(a.To)}"
                    : $"Check agent {KpiFormat.Agent(a.Agent)}: out of line with the other agents",
                "Find out what happened then (deploys, provider incidents, input changes) and whether it can recur.",
                [a.Text]));
        }

        foreach (var m in data.Current.Models.GroupBy(m => (m.Provider, m.Model)))
        {
            var calls = m.Sum(x => x.Calls);
            var failed = m.Sum(x => x.FailedCalls);
            if (calls >= FailingModelMinCalls && failed / calls >= FailingModelRatio)
            {
                list.Add((2, failed / calls, "failing_model",
                    $"{m.Key.Provider}/{m.Key.Model} failed {KpiFormat.Ratio(failed / calls)} of its calls",
                    "Add retries with backoff or a fallback model for these calls, and check the provider's limits.",
                    [$"{KpiFormat.Count(failed)} of {KpiFormat.Count(calls)} calls failed in the period"]));
            }
        }

        foreach (var agent in data.Current.Models.GroupBy(m => m.Agent))
        {
            var models = agent.Where(m => m.Calls >= MinCalls && m.CostPerCall is > 0).ToList();
            foreach (var expensive in models)
            {
                var best = models
                    .Where(c => c != expensive && c.CostPerCall <= expensive.CostPerCall * CheaperCostRatio && c.SuccessRatio >= expensive.SuccessRatio - SimilarSuccessPoints)
                    .MaxBy(c => expensive.CostPerCall!.Value - c.CostPerCall!.Value);
                if (best is null)
                {
                    continue;
                }

                var saving = expensive.Calls * (expensive.CostPerCall!.Value - best.CostPerCall!.Value);
                list.Add((3, saving, "cheaper_model",
                    $"Agent {KpiFormat.Agent(agent.Key)}: move calls from {expensive.Model} to {best.Model}",
                    $"{best.Model} costs {KpiFormat.Ratio(1 - (best.CostPerCall.Value / expensive.CostPerCall.Value))} less per call with a similar success ratio on this agent; try it for more of the agent's calls.",
                    [
                        $"{expensive.Provider}/{expensive.Model}: {KpiFormat.Usd(expensive.CostPerCall)} per call, {KpiFormat.Ratio(expensive.SuccessRatio)} of {KpiFormat.Count(expensive.Calls)} calls succeeded",
                        $"{best.Provider}/{best.Model}: {KpiFormat.Usd(best.CostPerCall)} per call, {KpiFormat.Ratio(best.SuccessRatio)} of {KpiFormat.Count(best.Calls)} calls succeeded",
                        $"moving all {KpiFormat.Count(expensive.Calls)} calls would have saved about {KpiFormat.Usd(saving)} in this period",
                    ]));
            }
        }

        if (bottlenecks.Phases.Count > 0 && bottlenecks.Phases[0] is { Share: >= DominantPhaseShare } top)
        {
            list.Add((4, top.Share, "bottleneck",
                $"Phase '{top.Phase}' takes {KpiFormat.Ratio(top.Share)} of run time",
                $"Optimise '{top.Phase}' first (agent {KpiFormat.Agent(top.TopAgent)} spends the most time in it): it bounds how much faster runs can get.",
                [
                    string.Create(CultureInfo.InvariantCulture, $"{KpiFormat.Duration(TimeSpan.FromSeconds(top.Seconds))} of {KpiFormat.Duration(TimeSpan.FromSeconds(data.Current.Kpis.Total.RunSeconds))} of run time in the period"),
                    $"agent {KpiFormat.Agent(top.TopAgent)}: {KpiFormat.Duration(TimeSpan.FromSeconds(top.TopAgentSeconds))} in '{top.Phase}'",
                ]));
        }

        foreach (var u in cost.Unpriced.GroupBy(u => (u.Provider, u.Model)))
        {
            list.Add((5, u.Sum(x => x.Tokens), "unpriced",
                $"Add a price for {u.Key.Provider}/{u.Key.Model} to the pricing catalog",
                "Its tokens are not in the cost figures until it has a price.",
                [$"{KpiFormat.Count(u.Sum(x => x.Tokens))} tokens unpriced in the period ({string.Join(", ", u.Select(x => $"{x.TokenType} {KpiFormat.Count(x.Tokens)}"))})"]));
        }

        foreach (var a in alerts.Alerts.Where(a => a.Fired >= 3 || a.FiringTime >= TimeSpan.FromHours(1)))
        {
            list.Add((6, a.FiringTime.TotalHours, "alert",
                $"Alert {a.AlertName} fired {a.Fired} times ({KpiFormat.Duration(a.FiringTime)} firing)",
                "Fix its cause (see the alert's runbook) or tune it if it fires without a real problem.",
                [$"{a.Severity}: {a.Fired} firing episodes in the period ({a.PreviousFired} in the previous one), mean time to resolve {KpiFormat.Duration(a.MeanTimeToResolve)}"]));
        }

        return list
            .OrderBy(r => r.Category).ThenByDescending(r => r.Impact)
            .Select((r, i) => new Recommendation(i + 1, r.Kind, r.Title, r.Action, r.Evidence))
            .ToList();
    }
}
