using PerfOtel.Collector.Budgets;

namespace PerfOtel.Collector.Tests.Budgets;

public sealed class BudgetGaugeTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 30, 0, TimeSpan.Zero);

    private static BudgetHarness TwoBudgets() => new(BudgetHarness.Inline(
        ("PerfOtel:Budgets:0:Scope", "team"),
        ("PerfOtel:Budgets:0:Name", "search"),
        ("PerfOtel:Budgets:0:Period", "monthly"),
        ("PerfOtel:Budgets:0:LimitUsd", "500"),
        ("PerfOtel:Budgets:1:Scope", "Agent"),
        ("PerfOtel:Budgets:1:Name", "planner"),
        ("PerfOtel:Budgets:1:Period", "DAILY"),
        ("PerfOtel:Budgets:1:LimitUsd", "12.5")), Now);

    private static double Unix(int y, int m, int d) => new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Limit_gauge_has_one_series_per_budget_in_usd()
    {
        using var h = TwoBudgets();

        Assert.Equal(new Dictionary<string, double> { ["team/search/monthly"] = 500, ["agent/planner/daily"] = 12.5 }, h.Observe(h.Limits));
        Assert.Equal("{USD}", h.Limits.Instrument!.Unit);
    }

    [Fact]
    public void Limit_carries_the_cost_counters_attribute_for_joins()
    {
        using var h = TwoBudgets();
        h.Limits.RecordObservableInstruments();

        var team = h.Limits.GetMeasurementSnapshot().Single(m => (string?)m.Tags["budget.scope"] == "team");
        var agent = h.Limits.GetMeasurementSnapshot().Single(m => (string?)m.Tags["budget.scope"] == "agent");
        Assert.Equal("search", team.Tags["agent.team"]);
        Assert.False(team.Tags.ContainsKey("gen_ai.agent.name"));
        Assert.Equal("planner", agent.Tags["gen_ai.agent.name"]);
        Assert.False(agent.Tags.ContainsKey("agent.team"));
    }

    [Fact]
    public void Period_bounds_are_the_current_utc_day_or_month_in_unix_seconds()
    {
        using var h = TwoBudgets();

        Assert.Equal(Unix(2025, 3, 1), h.Observe(h.Starts)["team/search/monthly"]);
        Assert.Equal(Unix(2025, 4, 1), h.Observe(h.Ends)["team/search/monthly"]);
        Assert.Equal(Unix(2025, 3, 10), h.Observe(h.Starts)["agent/planner/daily"]);
        Assert.Equal(Unix(2025, 3, 11), h.Observe(h.Ends)["agent/planner/daily"]);
        Assert.Equal("s", h.Starts.Instrument!.Unit);

        // The bounds move with the clock: next month.
        h.Clock.Now = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(Unix(2025, 4, 1), h.Observe(h.Starts)["team/search/monthly"]);
        Assert.Equal(Unix(2025, 5, 1), h.Observe(h.Ends)["team/search/monthly"]);
    }

    [Theory]
    [InlineData("2025-12-31T23:59:59+00:00", BudgetPeriod.Monthly, "2025-12-01", "2026-01-01")]
    [InlineData("2024-02-29T10:00:00+00:00", BudgetPeriod.Monthly, "2024-02-01", "2024-03-01")]
    [InlineData("2025-03-10T01:00:00+02:00", BudgetPeriod.Daily, "2025-03-09", "2025-03-10")]
    public void Periods_are_calendar_periods_in_utc(string now, BudgetPeriod period, string start, string end)
    {
        var (s, e) = period.Bounds(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(start + "T00:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture), s);
        Assert.Equal(DateTimeOffset.Parse(end + "T00:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture), e);
    }

    [Fact]
    public void No_budgets_no_series()
    {
        using var h = new BudgetHarness(BudgetHarness.Inline(), Now);

        Assert.Empty(h.Observe(h.Limits));
    }
}
