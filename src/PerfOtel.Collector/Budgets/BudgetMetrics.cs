using System.Diagnostics.Metrics;

namespace PerfOtel.Collector.Budgets;

/// <summary>
/// Budgets as gauges, observed at each scrape: the limit, and the bounds of the current period so that PromQL can
/// compute burn rates and forecasts (see docs/cost-and-budgets.md).
/// </summary>
public sealed class BudgetMetrics
{
    public const string MeterName = "PerfOtel.Budgets";

    /// <summary>Prometheus <c>agent_budget_limit_usd</c>: the unit in braces adds no suffix, the currency is in the name.</summary>
    public const string Limit = "agent.budget.limit.usd";

    /// <summary>Prometheus <c>agent_budget_period_start_timestamp_seconds</c>.</summary>
    public const string PeriodStart = "agent.budget.period.start_timestamp";

    /// <summary>Prometheus <c>agent_budget_period_end_timestamp_seconds</c>.</summary>
    public const string PeriodEnd = "agent.budget.period.end_timestamp";

    public const string AttrScope = "budget.scope";
    public const string AttrName = "budget.name";
    public const string AttrPeriod = "budget.period";

    private readonly BudgetSource budgets;
    private readonly TimeProvider time;

    public BudgetMetrics(IMeterFactory meterFactory, BudgetSource budgets, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(budgets);
        this.budgets = budgets;
        time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge<double>(Limit, ObserveLimits, "{USD}", "Spending limit of a team or agent per period, in USD.");
        meter.CreateObservableGauge<double>(PeriodStart, () => ObserveBounds(start: true), "s", "Start of the budget's current period (UTC), Unix time.");
        meter.CreateObservableGauge<double>(PeriodEnd, () => ObserveBounds(start: false), "s", "End of the budget's current period (UTC, exclusive), Unix time.");
    }

    private Measurement<double>[] ObserveLimits()
    {
        var list = budgets.Current;
        var result = new Measurement<double>[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            result[i] = new Measurement<double>(list[i].LimitUsd, list[i].Tags);
        }

        return result;
    }

    private Measurement<double>[] ObserveBounds(bool start)
    {
        var now = time.GetUtcNow();
        var list = budgets.Current;
        var result = new Measurement<double>[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var (s, e) = list[i].Period.Bounds(now);
            result[i] = new Measurement<double>((start ? s : e).ToUnixTimeSeconds(), list[i].Tags);
        }

        return result;
    }
}
