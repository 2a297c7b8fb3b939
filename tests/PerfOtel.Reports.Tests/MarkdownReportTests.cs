using PerfOtel.Reports.Data;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Tests.Support;
using static PerfOtel.Reports.Tests.Support.SampleData;

namespace PerfOtel.Reports.Tests;

public class MarkdownReportTests
{
    private static readonly KpiReport Current = new(
        Values(403, 323, 49.9, 909, 24, 391_000, 93_500, 12.5),
        [
            new AgentKpis("planner", Values(360, 300, 51, 744, 24, 336_000, 84_000, 10)),
            new AgentKpis("reviewer", Values(43, 23, 19.07, 165, 0, 55_000, 9_500, 2.5)),
        ],
        ["input", "output"]);

    private static readonly KpiReport Previous = new(
        Values(400, 360, 40, 900, 9, 380_000, 90_000, 10),
        [new AgentKpis("planner", Values(400, 360, 40, 900, 9, 380_000, 90_000, 10))],
        ["input", "output"]);

    [Fact]
    public void Renders_title_period_source_and_query_count()
    {
        var markdown = new MarkdownReport().Render(Model(Fleet(Current, Previous)));

        Assert.StartsWith(
            """
            # PerfOtel agent report: 2026-01-31T12:00:00Z to 2026-01-31T13:30:00Z

            - Period: 2026-01-31T12:00:00Z (exclusive) to 2026-01-31T13:30:00Z (inclusive), 1h 30m; compared with 2026-01-31T10:30:00Z to 2026-01-31T12:00:00Z
            - Source: Prometheus at http://127.0.0.1:9090
            - Generated: 2026-01-31T14:00:05Z
            - Prometheus queries: 25 (bound 26), 0.12 s; series in 5m buckets

            ## Recommendations

            """.ReplaceLineEndings("\n"),
            markdown);
        foreach (var section in new[] { "## KPIs", "## Trends", "## Per agent", "## Bottlenecks", "## Anomalies", "## Alerts", "## Cost", "## Forecasts" })
        {
            Assert.Contains($"\n{section}\n", markdown, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Charts", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_table_compares_with_the_previous_period()
    {
        var markdown = new MarkdownReport().Render(Model(Fleet(Current, Previous)));

        Assert.Contains("| KPI | This period | Previous period | Change | Larger than normal variation |\n| --- | ---: | ---: | ---: | --- |\n", markdown, StringComparison.Ordinal);
        // No per-bucket series here: amounts cannot be tested; ratios use the two-proportion test.
        Assert.Contains("| Agent runs | 403 | 400 | +0.8% | n/a |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Run success ratio | 80.1% | 90.0% | -9.9 pt | yes (z = -3.9) |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| LLM call error ratio | 2.6% | 1.0% | +1.6 pt | yes (z = 2.6) |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| LLM cost | $12.50 | $10.00 | +25.0% | n/a |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Tokens (input) | 391,000 | 380,000 | +2.9% | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_agent_table_has_one_row_per_agent_with_cost_per_successful_run()
    {
        var markdown = new MarkdownReport().Render(Model(Fleet(Current, Previous)));

        Assert.Contains("| planner | 360 | 83.3% | 25.5 s | 51 s | +27.5% | 744 | 3.2% | 336,000 | 84,000 | $10.00 | $0.0333 | n/a |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| reviewer | 43 | 53.5% | 9.54 s | 19.07 s | n/a | 165 | 0.0% | 55,000 | 9,500 | $2.50 | $0.1087 | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_significant_drop_in_success_ratio_becomes_a_finding_and_a_recommendation()
    {
        var model = Model(Fleet(Current, Previous));

        Assert.Contains(model.Trends, t => t.Text == "Run success ratio of agent planner fell 6.7 pt against the previous period (90.0% → 83.3%).");
        var recommendation = Assert.Single(model.Recommendations, r => r.Category == "regression");
        Assert.Equal("Success ratio of agent planner fell 6.7 pt against the previous period", recommendation.Title);
        Assert.Contains(recommendation.Evidence, e => e.StartsWith("two-proportion z = -2.7 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Agents_without_runs_show_no_ratio_and_no_percentile()
    {
        var idle = new KpiValues { TokensByType = new Dictionary<string, double> { ["input"] = 5 } };
        var markdown = new MarkdownReport().Render(Model(Fleet(new KpiReport(idle, [new AgentKpis("", idle)], ["input"]))));

        Assert.Contains("| Run success ratio | n/a | n/a | n/a | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("| p95 run duration | n/a | n/a | n/a | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("| (none) | 0 | n/a | n/a | n/a | n/a | 0 | n/a | 5 | $0.00 | n/a | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_cannot_break_the_table_or_format_text()
    {
        Assert.Equal(@"a\|b \*x\* \_y\_ \`z\` \[l\](u) \<b\> c\\d e f", MarkdownReport.Escape("a|b *x* _y_ `z` [l](u) <b> c\\d e\nf"));

        var v = new KpiValues { Runs = 1, SuccessfulRuns = 1, P95RunDurationSeconds = 1, P50RunDurationSeconds = 1 };
        var markdown = new MarkdownReport().Render(Model(Fleet(new KpiReport(v, [new AgentKpis("x|y", v)], []))));
        Assert.Contains("| x\\|y | 1 | 100.0% | 1 s | 1 s | n/a | 0 | n/a | $0.00 | $0.00 | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cheaper_model_with_a_similar_success_ratio_is_recommended_with_its_evidence()
    {
        ModelUsage[] models =
        [
            new("fixer", "openai", "gpt-4o", 240, 2, 7.2),
            new("fixer", "openai", "gpt-4o-mini", 240, 3, 0.48),
            new("fixer", "openai", "tiny", 240, 60, 0.01), // cheaper still, but fails a quarter of its calls
        ];

        var model = Model(Fleet(Current, Previous, models));

        var r = Assert.Single(model.Recommendations, r => r.Category == "cheaper_model");
        Assert.Equal("Agent fixer: move calls from gpt-4o to gpt-4o-mini", r.Title);
        Assert.Equal(
            [
                "openai/gpt-4o: $0.0300 per call, 99.2% of 240 calls succeeded",
                "openai/gpt-4o-mini: $0.0020 per call, 98.8% of 240 calls succeeded",
                "moving all 240 calls would have saved about $6.72 in this period",
            ],
            r.Evidence);
    }

    [Fact]
    public void File_names_hold_the_kind_and_the_sortable_utc_range()
    {
        Assert.Equal("perfotel-report-20260131T120000Z-20260131T133000Z.md", ReportFile.NameFor(SampleRange, "md"));
        Assert.Equal("perfotel-weekly-20260131T120000Z-20260131T133000Z.html", ReportFile.NameFor(global::PerfOtel.Reports.Analysis.ReportKind.Weekly, SampleRange, "html"));
    }
}
