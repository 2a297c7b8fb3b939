using PerfOtel.Reports.Data;
using static PerfOtel.Reports.Tests.Integration.FleetHistory;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>What the report finds in <see cref="FleetHistory"/>: exact counts, USD, and every planted fact.</summary>
[Collection("fleet")]
public class FleetReportTests(FleetPrometheus prometheus)
{
    private FleetHistory History => prometheus.History;

    [Fact]
    public async Task Counts_are_exact()
    {
        var (data, _) = await prometheus.ReportAsync();
        var kpis = data.Current.Kpis;

        Assert.Equal(["fixer", "planner", "researcher", "reviewer"], kpis.Agents.Select(a => a.Agent));
        Assert.Equal(240, kpis.For("planner").Runs);
        Assert.Equal(240, kpis.For("planner").SuccessfulRuns);
        Assert.Equal(480, kpis.For("reviewer").Runs);
        Assert.Equal(81, ReviewerFailures(Period, 2 * Period));
        Assert.Equal(480 - 81, kpis.For("reviewer").SuccessfulRuns);
        Assert.Equal(480, kpis.For("fixer").LlmCalls);
        Assert.Equal(5, kpis.For("fixer").FailedLlmCalls); // gpt-4o at 300, 400; mini at 320, 400, 480
        Assert.Equal(960, kpis.Total.Runs);
        Assert.Equal(1200, kpis.Total.LlmCalls);
        Assert.Equal((1000 + 1000 + 800 + 800) * 240, kpis.Total.Tokens("input"));
        Assert.Equal(24_000, Assert.Single(data.Unpriced).Tokens);

        // The previous period is read the same way.
        Assert.Equal(ReviewerFailures(0, Period), data.Previous.Kpis.For("reviewer").FailedRuns);
    }

    [Fact]
    public async Task Usd_is_within_half_a_percent()
    {
        var (data, model) = await prometheus.ReportAsync();

        Assert.Equal(History.FleetUsd(Period, 2 * Period), model.Cost.Total.Current!.Value, History.FleetUsd(Period, 2 * Period) * 0.005);
        Assert.Equal(History.FleetUsd(0, Period), model.Cost.Total.Previous!.Value, History.FleetUsd(0, Period) * 0.005);
        Assert.Equal(240 * History.PaymentsUsdPerMinute, model.Cost.ByTeam.Single(t => t.Name == "payments").Usd, 0.005 * 240 * History.PaymentsUsdPerMinute);
        Assert.Equal(History.ResearcherUsd(Period, 2 * Period), model.Cost.ByTeam.Single(t => t.Name == "research").Usd, 0.005 * History.ResearcherUsd(Period, 2 * Period));
        Assert.Equal(240 * FixerMiniUsdPerCall, model.Cost.ByModel.Single(m => m.Model == "gpt-4o-mini").Usd, 0.005 * 240 * FixerMiniUsdPerCall);
        var fixer = model.Cost.ByAgent.Single(a => a.Agent == "fixer");
        Assert.Equal((FixerBigUsdPerCall + FixerMiniUsdPerCall) * 240 / 240, fixer.UsdPerSuccessfulRun!.Value, 0.0001);
        Assert.Equal(data.Current.Kpis.Total.CostUsd / data.Current.Kpis.Total.SuccessfulRuns, model.Cost.UsdPerSuccessfulRun!.Value, 1e-9);
    }

    [Fact]
    public async Task The_planted_anomaly_is_found_and_nothing_else()
    {
        var (_, model) = await prometheus.ReportAsync();

        var anomaly = Assert.Single(model.Anomalies);
        Assert.Equal(("period", "reviewer", "run_failure_ratio"), (anomaly.Kind, anomaly.Agent, anomaly.Metric));
        Assert.Equal(History.At(AnomalyFrom), anomaly.From);
        Assert.Equal(History.At(AnomalyTo), anomaly.To);
        Assert.Equal(1.0, anomaly.Value);
        Assert.True(anomaly.Value > anomaly.UpperFence && anomaly.Z >= 3, anomaly.Text);
        Assert.Contains(model.Recommendations, r => r.Category == "anomaly" && r.Title.Contains("reviewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_planted_bottleneck_phase_is_ranked_first()
    {
        var (_, model) = await prometheus.ReportAsync();

        var first = model.Bottlenecks.Phases[0];
        Assert.Equal(("execute", 1, "planner"), (first.Phase, first.Rank, first.TopAgent));
        Assert.InRange(first.Share, 0.5, 0.7);
        Assert.Equal("planner", model.Bottlenecks.SlowestAgents[0].Agent);
        Assert.Equal("gpt-4o", model.Bottlenecks.SlowestModels[0].Model);
        Assert.Contains(model.Recommendations, r => r.Category == "bottleneck" && r.Title.StartsWith("Phase 'execute' takes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_planted_regression_is_reported()
    {
        var (_, model) = await prometheus.ReportAsync();

        var planner = model.Agents.Single(a => a.Agent == "planner");
        Assert.True(planner.P95.Significant);
        Assert.InRange(planner.P95.Previous!.Value, 10.000001, 20);
        Assert.InRange(planner.P95.Current!.Value, 30.000001, 60);
        Assert.Contains(model.Trends, t => t.Text.StartsWith("p95 run duration of agent planner rose 200% against the previous period (19.5 s → 58.5 s)", StringComparison.Ordinal));
        Assert.Contains(model.Recommendations, r => r.Category == "regression" && r.Title.StartsWith("p95 run duration of agent planner rose", StringComparison.Ordinal));
        // Agents without a change are not called out.
        Assert.DoesNotContain(model.Trends, t => t.Subject == "fixer");
    }

    [Fact]
    public async Task The_cost_forecast_interval_contains_the_held_back_truth()
    {
        var (_, model) = await prometheus.ReportAsync();

        var forecast = model.Forecasts.Single(f => f.Key == "cost_usd");
        var truth = History.FleetUsd(2 * Period, LastStep);
        Assert.Equal((History.ReportTo, History.End), (forecast.Period.From, forecast.Period.To));
        Assert.InRange(truth, forecast.Low, forecast.High);
        Assert.True(forecast.High - forecast.Low < 0.1 * truth, $"interval {forecast.Low}..{forecast.High} is too wide to be useful");
        var backtest = forecast.Backtest!;
        Assert.Equal(History.FleetUsd(Period, 2 * Period), backtest.Actual, 0.005 * backtest.Actual);
        Assert.True(backtest.WithinInterval);
        Assert.InRange(backtest.AbsolutePercentageError!.Value, 0, 0.05);
    }

    [Fact]
    public async Task A_cheaper_model_with_a_similar_success_ratio_is_recommended()
    {
        var (_, model) = await prometheus.ReportAsync();

        var r = Assert.Single(model.Recommendations, r => r.Category == "cheaper_model");
        Assert.Equal("Agent fixer: move calls from gpt-4o to gpt-4o-mini", r.Title);
        Assert.Equal("openai/gpt-4o: $0.0300 per call, 99.2% of 240 calls succeeded", r.Evidence[0]);
        Assert.Equal("openai/gpt-4o-mini: $0.0020 per call, 98.8% of 240 calls succeeded", r.Evidence[1]);
    }

    [Fact]
    public async Task Budgets_show_spend_status_and_the_exhaustion_time()
    {
        var (_, model) = await prometheus.ReportAsync();
        var budgets = model.Cost.Budgets.ToDictionary(b => b.Name);

        Assert.Equal("ok", budgets["fixer"].Status);
        var payments = budgets["payments"];
        Assert.Equal(History.PaymentsSpentToday, payments.SpentUsd, 0.005 * Math.Max(1, History.PaymentsSpentToday));
        Assert.Equal(History.PaymentsUsdPerMinute * 60, payments.RateUsdPerHour, 1e-6);
        Assert.Equal("will_run_out", payments.Status);
        var expected = History.ReportTo.AddHours(History.HoursLeftInDay / 2);
        Assert.InRange(payments.ExhaustedAt!.Value, expected.AddMinutes(-2), expected.AddMinutes(2));
        if (History.DayStartStep < 2 * Period)
        {
            Assert.Equal("exhausted", budgets["research"].Status);
        }

        Assert.Contains(model.Recommendations, r => r.Category == "budget" && r.Title.StartsWith("The daily budget of team payments runs out at", StringComparison.Ordinal));
        Assert.Equal("budget", model.Recommendations[0].Category);
    }

    [Fact]
    public async Task Alerts_are_counted_by_severity_with_time_firing_and_time_to_resolve()
    {
        var (_, model) = await prometheus.ReportAsync();

        var warning = model.Alerts.Alerts.Single(a => a.AlertName == "LLMErrorRatioHigh");
        Assert.Equal((2, 0, 0), (warning.Fired, warning.PreviousFired, warning.StillFiring));
        Assert.Equal(TimeSpan.FromMinutes(30), warning.FiringTime);
        Assert.Equal(TimeSpan.FromMinutes(15), warning.MeanTimeToResolve);
        Assert.Equal(TimeSpan.FromMinutes(20), warning.MaxTimeToResolve);
        var critical = model.Alerts.BySeverity.Single(s => s.Severity == "critical");
        Assert.Equal((0, 1), (critical.Fired, critical.PreviousFired));
        Assert.Equal(["critical", "warning"], model.Alerts.BySeverity.Select(s => s.Severity));
    }

    [Fact]
    public async Task Speedup_is_estimate_over_actual()
    {
        var (data, model) = await prometheus.ReportAsync();

        Assert.Equal(240 * 60 / (240 * 44.5), data.Current.Kpis.For("planner").Speedup!.Value, 1e-9);
        Assert.Equal(240 * 60 / (240 * 14.5), model.Kpis.Single(k => k.Key == "speedup").Previous!.Value, 1e-9);
    }

    [Fact]
    public async Task The_number_of_queries_is_fixed_and_reported()
    {
        var (data, model) = await prometheus.ReportAsync();

        // 5-minute buckets tile the 4-hour periods: runs and run buckets come from the bucketed series (4 queries fewer).
        var expected = ReportReader.QueryBound - 4 - (History.DayStartStep == 2 * Period ? 1 : 0);
        Assert.Equal(expected, data.QueryCount);
        Assert.Equal(new global::PerfOtel.Reports.Analysis.QueryStats(expected, ReportReader.QueryBound, model.Queries.Seconds), model.Queries);
    }
}
