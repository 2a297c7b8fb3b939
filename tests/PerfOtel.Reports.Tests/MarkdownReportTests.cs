using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests;

public class MarkdownReportTests
{
    private static readonly ReportRange Range = ReportRange.Create(
        new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 31, 13, 30, 0, TimeSpan.Zero));

    private static KpiValues Values(double runs, double ok, double? p95, double calls, double failed, double input, double output) =>
        new(runs, ok, p95, calls, failed, new Dictionary<string, double> { ["input"] = input, ["output"] = output });

    [Fact]
    public void Renders_title_range_kpi_table_and_agent_table()
    {
        var kpis = new KpiReport(
            Values(403, 323, 49.9, 909, 24, 391_000, 93_500),
            [
                new AgentKpis("planner", Values(360, 300, 51, 744, 24, 336_000, 84_000)),
                new AgentKpis("reviewer", Values(43, 23, 19.07, 165, 0, 55_000, 9_500)),
            ],
            ["input", "output"]);
        var document = new ReportDocument(Range, "http://127.0.0.1:9090", new DateTimeOffset(2026, 1, 31, 14, 0, 5, TimeSpan.Zero), kpis);

        var markdown = new MarkdownReport().Render(document);

        Assert.Equal(
            """
            # PerfOtel agent report: 2026-01-31T12:00:00Z to 2026-01-31T13:30:00Z

            - Range: 2026-01-31T12:00:00Z (exclusive) to 2026-01-31T13:30:00Z (inclusive), 1h 30m
            - Source: Prometheus at http://127.0.0.1:9090
            - Generated: 2026-01-31T14:00:05Z

            ## KPIs

            | KPI | Value |
            | --- | ---: |
            | Agent runs | 403 |
            | Run success ratio | 80.1% |
            | p95 run duration | 49.9 s |
            | LLM calls | 909 |
            | LLM call error ratio | 2.6% |
            | Tokens (input) | 391,000 |
            | Tokens (output) | 93,500 |

            ## Per agent

            | Agent | Runs | Run success ratio | p95 run duration | LLM calls | LLM call error ratio | Tokens (input) | Tokens (output) |
            | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            | planner | 360 | 83.3% | 51 s | 744 | 3.2% | 336,000 | 84,000 |
            | reviewer | 43 | 53.5% | 19.07 s | 165 | 0.0% | 55,000 | 9,500 |

            Runs, calls and tokens are the counters' exact increase over the range (approximate only across a counter reset); p95 is interpolated within the run-duration histogram's buckets.

            """.ReplaceLineEndings("\n"),
            markdown);
    }

    [Fact]
    public void Agents_without_runs_or_calls_show_no_ratio_and_no_p95()
    {
        var idle = new KpiValues(0, 0, null, 0, 0, new Dictionary<string, double>());
        var kpis = new KpiReport(idle, [new AgentKpis("", idle)], []);

        var markdown = new MarkdownReport().Render(new ReportDocument(Range, "http://p:9090", Cli.Now, kpis));

        Assert.Contains("| Run success ratio | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("| p95 run duration | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("| (none) | 0 | n/a | n/a | 0 | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_cannot_break_the_table_or_format_text()
    {
        Assert.Equal(@"a\|b \*x\* \_y\_ \`z\` \[l\](u) \<b\> c\\d e f", MarkdownReport.Escape("a|b *x* _y_ `z` [l](u) <b> c\\d e\nf"));

        var v = new KpiValues(1, 1, 1, 0, 0, new Dictionary<string, double>());
        var markdown = new MarkdownReport().Render(new ReportDocument(Range, "http://p", Cli.Now, new KpiReport(v, [new AgentKpis("x|y", v)], [])));
        Assert.Contains("| x\\|y | 1 | 100.0% | 1 s | 0 | n/a |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void File_name_holds_the_sortable_utc_range() =>
        Assert.Equal("perfotel-report-20260131T120000Z-20260131T133000Z.md", ReportFile.NameFor(Range, "md"));
}
