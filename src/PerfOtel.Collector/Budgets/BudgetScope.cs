namespace PerfOtel.Collector.Budgets;

/// <summary>What a budget limits: the spend of one team (<c>agent.team</c>) or of one agent (<c>gen_ai.agent.name</c>).</summary>
public enum BudgetScope
{
    Team,
    Agent,
}
