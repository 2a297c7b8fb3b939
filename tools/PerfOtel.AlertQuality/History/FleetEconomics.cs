namespace PerfOtel.AlertQuality.History;

/// <summary>Expected traffic and spend of the fleet (the profiles without noise): budget limits and incident sizes.</summary>
internal sealed class FleetEconomics
{
    // Any Monday: the profiles depend on the hour and on weekend or not.
    private const long ReferenceMonday = 1736121600; // 2025-01-06T00:00:00Z
    private readonly Fleet fleet;
    private readonly Dictionary<string, double> meanRuns = new(StringComparer.Ordinal);

    public FleetEconomics(Fleet fleet)
    {
        this.fleet = fleet;
        foreach (var agent in fleet.Agents)
        {
            meanRuns[agent.Name] = Integrate(agent.ExpectedRunsPerSecond, ReferenceMonday, ReferenceMonday + (7 * 86400)) / (7 * 86400);
        }
    }

    public double MeanRunsPerSecond(AgentSpec agent) => meanRuns[agent.Name];

    public static double SpendPerRun(AgentSpec agent) => agent.Models.Sum(m => m.CallsPerRun * m.MeanUsdPerCall);

    public double MeanSpendPerSecond(AgentSpec agent) => MeanRunsPerSecond(agent) * SpendPerRun(agent);

    public static double ExpectedSpend(AgentSpec agent, long from, long to) =>
        Integrate(agent.ExpectedRunsPerSecond, from, to) * SpendPerRun(agent);

    public IEnumerable<AgentSpec> AgentsOf(BudgetSpec budget) => budget.Agents.Select(fleet.Agent);

    public BudgetSpec? BudgetOf(AgentSpec agent) =>
        fleet.Budgets.FirstOrDefault(b => b.Scope == "agent" && b.Name == agent.Name)
        ?? fleet.Budgets.FirstOrDefault(b => b.Scope == "team" && b.Name == agent.Team);

    /// <summary>
    /// Daily budgets: the head room times the busiest weekday's expected spend; monthly: the head room times an
    /// average month's.
    /// </summary>
    public double Limit(BudgetSpec budget)
    {
        double DaySpend(long day) => AgentsOf(budget).Sum(a => ExpectedSpend(a, day, day + 86400));
        var days = Enumerable.Range(0, 7).Select(d => DaySpend(ReferenceMonday + (d * 86400L))).ToArray();
        return budget.Period == "daily"
            ? Math.Round(fleet.BudgetHeadroom * days.Max(), 2)
            : Math.Round(fleet.BudgetHeadroom * days.Average() * 30.44, 2);
    }

    public static long PeriodStart(BudgetSpec budget, long t) => budget.Period == "daily" ? HistoryClock.DayStart(t) : HistoryClock.MonthStart(t);

    public static long PeriodEnd(BudgetSpec budget, long t) => budget.Period == "daily" ? HistoryClock.DayStart(t) + 86400 : HistoryClock.MonthEnd(t);

    /// <summary>USD per second that spends exactly the limit over the period containing <paramref name="t"/> (burn rate 1).</summary>
    public double Pace(BudgetSpec budget, long t) => Limit(budget) / (PeriodEnd(budget, t) - PeriodStart(budget, t));

    private static double Integrate(Func<long, double> perSecond, long from, long to)
    {
        const int Step = 300;
        double total = 0;
        for (var t = from; t < to; t += Step)
        {
            total += perSecond(t + (Step / 2)) * Math.Min(Step, to - t);
        }

        return total;
    }
}
