using PerfOtel.Reports.Data;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Analysis;

/// <summary>
/// The cost section: totals by model, agent and team, cost per successful run, unpriced tokens, and each budget's
/// status. A budget is projected at the mean hourly spend of its scope over the report period: remaining / rate
/// gives the time it runs out; before the end of its period, it "will run out".
/// </summary>
internal static class CostAnalysis
{
    public static CostSection Build(ReportData data, KpiChange total, ReportRange range)
    {
        var current = data.Current;
        var usd = current.Kpis.Total.CostUsd;
        double Share(double v) => usd > 0 ? v / usd : 0;

        var callsByModel = current.Models.GroupBy(m => (m.Provider, m.Model)).ToDictionary(g => g.Key, g => g.Sum(m => m.Calls));
        var byModel = current.Costs
            .GroupBy(c => (c.Provider, c.Model))
            .Select(g =>
            {
                var calls = callsByModel.GetValueOrDefault(g.Key);
                var sum = g.Sum(c => c.Usd);
                return new ModelCost(g.Key.Provider, g.Key.Model, sum, Share(sum), calls, calls > 0 ? sum / calls : null);
            })
            .OrderByDescending(m => m.Usd).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();

        var agents = current.Kpis.Agents.Select(a => a.Agent).Union(data.Previous.Kpis.Agents.Select(a => a.Agent));
        var byAgent = agents
            .Select(a =>
            {
                var c = current.Kpis.For(a);
                return new AgentCost(a, c.CostUsd, data.Previous.Kpis.For(a).CostUsd, c.SuccessfulRuns, c.CostPerSuccessfulRun);
            })
            .Where(a => a.Usd > 0 || a.PreviousUsd > 0)
            .OrderByDescending(a => a.Usd).ThenBy(a => a.Agent, StringComparer.Ordinal)
            .ToList();

        var byTeam = current.Costs
            .GroupBy(c => c.Team)
            .Select(g => new CostShare(g.Key, g.Sum(c => c.Usd), Share(g.Sum(c => c.Usd))))
            .OrderByDescending(t => t.Usd).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        var hours = (data.Buckets.Count - data.Buckets.CurrentStart) * data.Buckets.Step.TotalHours;
        var budgets = data.Budgets.Select(b => Budget(b, data.Buckets, hours, range)).ToList();

        return new CostSection(
            total,
            current.Kpis.Total.CostPerSuccessfulRun,
            byModel,
            byAgent,
            byTeam,
            data.Unpriced.Select(u => new UnpricedRow(u.Provider, u.Model, u.TokenType, u.Tokens)).ToList(),
            budgets);
    }

    private static BudgetRow Budget(BudgetStatus b, BucketSeries buckets, double hours, ReportRange range)
    {
        var spentInReport = buckets.CostOf(b.Scope, b.Name).Skip(buckets.CurrentStart).Sum();
        var rate = hours > 0 ? spentInReport / hours : 0;
        var hoursLeft = Math.Max(0, (b.PeriodEnd - range.To).TotalHours);
        var projected = b.SpentUsd + (rate * hoursLeft);
        DateTimeOffset? exhaustedAt = null;
        string status;
        if (b.SpentUsd >= b.LimitUsd)
        {
            status = "exhausted";
        }
        else if (projected > b.LimitUsd && rate > 0)
        {
            status = "will_run_out";
            var at = range.To + TimeSpan.FromHours((b.LimitUsd - b.SpentUsd) / rate);
            exhaustedAt = DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / 60 * 60);
        }
        else
        {
            status = "ok";
        }

        return new BudgetRow(
            b.Scope, b.Name, b.Period, b.LimitUsd, b.SpentUsd, b.LimitUsd > 0 ? b.SpentUsd / b.LimitUsd : 0,
            new Period(b.PeriodStart, b.PeriodEnd), rate, projected, exhaustedAt, status);
    }
}
