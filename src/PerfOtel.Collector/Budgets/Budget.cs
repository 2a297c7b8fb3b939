using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Budgets;

/// <summary>A spending limit in USD for one team or agent over a UTC day or month.</summary>
/// <param name="Scope">Whether <paramref name="Name"/> is a team or an agent.</param>
/// <param name="Name">The team (<c>agent.team</c>) or agent (<c>gen_ai.agent.name</c>) name, as events send it.</param>
/// <param name="Period">The calendar period the limit applies to.</param>
/// <param name="LimitUsd">The limit in USD.</param>
public sealed record Budget(BudgetScope Scope, string Name, BudgetPeriod Period, double LimitUsd)
{
    /// <summary>
    /// The gauge attributes: <c>budget.scope</c>, <c>budget.name</c>, <c>budget.period</c>, plus the name under the
    /// attribute the cost counter uses (<c>agent.team</c> or <c>gen_ai.agent.name</c>), so that PromQL joins spend and
    /// limit with a plain <c>on(agent_team)</c> instead of a label_replace.
    /// </summary>
    public KeyValuePair<string, object?>[] Tags { get; } =
    [
        new(BudgetMetrics.AttrScope, Scope.ToAttribute()),
        new(BudgetMetrics.AttrName, Name),
        new(BudgetMetrics.AttrPeriod, Period.ToAttribute()),
        new(Scope == BudgetScope.Team ? AgentSemanticConventions.AttrTeam : AgentSemanticConventions.AttrAgentName, Name),
    ];

    // Records compare arrays by reference; a budget's identity is its four values.
    public bool Equals(Budget? other) =>
        other is not null && Scope == other.Scope && Name == other.Name && Period == other.Period && LimitUsd.Equals(other.LimitUsd);

    public override int GetHashCode() => HashCode.Combine(Scope, Name, Period, LimitUsd);
}
