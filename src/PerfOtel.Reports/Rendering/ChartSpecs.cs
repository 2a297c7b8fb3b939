using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>The data of the HTML report's charts (serialized into the page, drawn by its script).</summary>
internal sealed record ChartPage(IReadOnlyList<ChartSpec> Charts);

internal sealed record ChartSpec(string Id, string Title, string Type, IReadOnlyList<string> Labels, IReadOnlyList<ChartDataset> Datasets, string YTitle, bool Stacked = false, bool Horizontal = false);

/// <summary>One dataset; <see cref="Data"/> holds a number, null (gap) or a [low, high] pair (floating bar) per label.</summary>
internal sealed record ChartDataset(string Label, IReadOnlyList<object?> Data, string Color, string? FillColor = null, bool Dashed = false, string? Type = null, int Order = 0, IReadOnlyList<string>? Colors = null);

/// <summary>Which charts a report has, built from its model.</summary>
internal static class ChartSpecs
{
    private static readonly string[] Palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#116329", "#953800", "#0550ae", "#a40e26", "#6639ba"];

    public static List<ChartSpec> For(ReportModel m)
    {
        var labels = m.BucketEnds.Select(t => t.UtcDateTime.ToString(m.Step >= TimeSpan.FromDays(1) ? "MM-dd" : "MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        TimeSeries? Series(string key) => m.Series.FirstOrDefault(s => s.Key == key);
        static IReadOnlyList<object?> Data(IEnumerable<double?> values) => values.Select(v => (object?)(v is { } d ? Math.Round(d, 6) : null)).ToList();
        var bucket = ReportTime.FormatSpan(m.Step);
        var charts = new List<ChartSpec>();

        if (m.Kind != ReportKind.Cost)
        {
            if (Series("runs") is { } runs && Series("failed_runs") is { } failed)
            {
                charts.Add(new ChartSpec("chart-runs", $"Agent runs per {bucket} (previous and this period)", "bar", labels,
                [
                    new ChartDataset("Successful", Data(runs.Values.Zip(failed.Values, (r, f) => r - f)), "#1a7f37"),
                    new ChartDataset("Not successful", Data(failed.Values), "#cf222e"),
                    new ChartDataset("Moving average (all)", Data(runs.MovingAverage), "#0969da", Type: "line", Order: -1),
                ], "runs", Stacked: true));
            }

            if (Series("p95_duration") is { } p95 && Series("p50_duration") is { } p50)
            {
                charts.Add(new ChartSpec("chart-duration", "Run duration (p50, p95)", "line", labels,
                [
                    new ChartDataset("p95", Data(p95.Values), "#cf222e"),
                    new ChartDataset("p95 moving average", Data(p95.MovingAverage), "#cf222e", Dashed: true),
                    new ChartDataset("p50", Data(p50.Values), "#0969da"),
                ], "seconds"));
            }

            var agents = m.Series.Where(s => s.Key == "agent_p95_duration").ToList();
            if (agents.Count > 0)
            {
                charts.Add(new ChartSpec("chart-agent-p95", "p95 run duration by agent", "line", labels,
                    agents.Select((s, i) => new ChartDataset(KpiFormat.Agent(s.Agent), Data(s.Values), Palette[i % Palette.Length])).ToList(), "seconds"));
            }

            if (Series("llm_error_ratio") is { } errors)
            {
                charts.Add(new ChartSpec("chart-llm-errors", "LLM call error ratio", "line", labels,
                [
                    new ChartDataset("Error ratio", Data(errors.Values.Select(v => v * 100)), "#bc4c00"),
                ], "%"));
            }

            if (m.Bottlenecks.Phases.Count > 0)
            {
                charts.Add(new ChartSpec("chart-phases", "Phases by share of run time", "bar", m.Bottlenecks.Phases.Select(p => p.Phase).ToList(),
                [
                    new ChartDataset("Share of run time (%)", Data(m.Bottlenecks.Phases.Select(p => (double?)(p.Share * 100))), "#8250df"),
                ], "%", Horizontal: true));
            }
        }

        if (Series("cost_usd") is { } cost)
        {
            charts.Add(new ChartSpec("chart-cost", $"LLM cost per {bucket} (USD)", "bar", labels,
            [
                new ChartDataset("USD", Data(cost.Values), "#0550ae"),
                new ChartDataset("Moving average", Data(cost.MovingAverage), "#bc4c00", Type: "line", Order: -1),
            ], "USD"));
        }

        if (m.Cost.ByModel.Count > 0)
        {
            charts.Add(new ChartSpec("chart-cost-models", "Cost by model (USD)", "doughnut", m.Cost.ByModel.Select(x => $"{x.Provider}/{x.Model}").ToList(),
            [
                new ChartDataset("USD", Data(m.Cost.ByModel.Select(x => (double?)x.Usd)), "#ffffff", Colors: m.Cost.ByModel.Select((_, i) => Palette[i % Palette.Length]).ToList()),
            ], ""));
        }

        if (m.Forecasts.FirstOrDefault(f => f.Key == "cost_usd") is { } forecast)
        {
            charts.Add(new ChartSpec("chart-cost-forecast", "LLM cost: previous, this and next period (forecast, 95% interval)", "bar",
                ["previous period", "this period", "next period (forecast)"],
                [
                    new ChartDataset("USD", [Math.Round(m.Cost.Total.Previous ?? 0, 4), Math.Round(m.Cost.Total.Current ?? 0, 4), Math.Round(forecast.Value, 4)], "#0550ae"),
                    new ChartDataset("95% interval", [null, null, new[] { Math.Round(forecast.Low, 4), Math.Round(forecast.High, 4) }], "#bc4c00", FillColor: "rgba(188,76,0,0.35)"),
                ], "USD"));
        }

        return charts;
    }
}
