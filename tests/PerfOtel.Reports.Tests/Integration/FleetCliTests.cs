using System.Globalization;
using System.Net;
using System.Text.Json;
using Parquet;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;
using static PerfOtel.Reports.Tests.Integration.FleetHistory;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>Every command of the CLI against the real Prometheus holding <see cref="FleetHistory"/>.</summary>
[Collection("fleet")]
public class FleetCliTests(FleetPrometheus prometheus)
{
    private FleetHistory History => prometheus.History;

    private string[] Range => ["range", "--from", ReportTime.Format(History.ReportFrom), "--to", ReportTime.Format(History.ReportTo), "--prometheus-url", prometheus.Url];

    private string Stamp => $"{ReportTime.FileStamp(History.ReportFrom)}-{ReportTime.FileStamp(History.ReportTo)}";

    [Fact]
    public async Task Range_writes_every_format_requested_and_prints_the_paths()
    {
        using var output = new TempFolder();

        var result = await Cli.RunAsync([.. Range, "--output", output.Path, "--format", "markdown", "--format", "html", "--format", "json", "--format", "csv"]);

        Assert.True(result.ExitCode == ExitCodes.Ok, $"exit {result.ExitCode}: {result.Error}\n{prometheus.Log}");
        string[] expected = [.. new[] { "md", "html", "json", "csv" }.Select(e => Path.Combine(output.Path, $"perfotel-report-{Stamp}.{e}"))];
        Assert.Equal(string.Join("", expected.Select(p => p + Environment.NewLine)), result.Out);
        Assert.Equal(expected.Order(), output.Files().Order());

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(expected[2], TestContext.Current.CancellationToken));
        Assert.Equal("perfotel-report/1", json.RootElement.GetProperty("schema").GetString());
        var report = json.RootElement.GetProperty("report");
        Assert.Equal("range", report.GetProperty("kind").GetString());
        var runs = report.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "runs");
        Assert.Equal(960, runs.GetProperty("current").GetDouble());
        Assert.Equal("execute", report.GetProperty("bottlenecks").GetProperty("phases")[0].GetProperty("phase").GetString());
        Assert.Equal(300, report.GetProperty("step").GetDouble());
        Assert.Equal(ReportTime.Format(History.ReportTo), report.GetProperty("period").GetProperty("to").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

        var csv = await File.ReadAllLinesAsync(expected[3], TestContext.Current.CancellationToken);
        Assert.Equal("section,subject,metric,value,previous_value,change,unit", csv[0]);
        Assert.Contains("kpi,all,runs,960,960,0,count", csv);
        Assert.Contains("agent,reviewer,runs,480,480,,count", csv);

        var html = await File.ReadAllTextAsync(expected[1], TestContext.Current.CancellationToken);
        Assert.Contains("<canvas id=\"chart-runs\"", html, StringComparison.Ordinal);
        Assert.Contains("Chart.js v4.6.1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal); // self-contained
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_writes_the_cost_report_with_budgets_and_forecast()
    {
        using var output = new TempFolder();

        var result = await Cli.RunAsync(
            "cost", "--from", ReportTime.Format(History.ReportFrom), "--to", ReportTime.Format(History.ReportTo), "--prometheus-url", prometheus.Url, "--output", output.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var markdown = await File.ReadAllTextAsync(Path.Combine(output.Path, $"perfotel-cost-{Stamp}.md"), TestContext.Current.CancellationToken);
        Assert.StartsWith("# PerfOtel cost report: ", markdown, StringComparison.Ordinal);
        foreach (var heading in new[] { "## Cost", "### By model", "### By agent", "### By team", "### Budgets", "### Unpriced tokens (not in the cost)", "## Forecasts" })
        {
            Assert.Contains($"\n{heading}\n", markdown, StringComparison.Ordinal);
        }

        Assert.Contains("| team | payments | daily from ", markdown, StringComparison.Ordinal);
        Assert.Contains("| runs out at ", markdown, StringComparison.Ordinal);
        Assert.Contains("| LLM cost | ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("## Bottlenecks", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Phase 'execute'", markdown, StringComparison.Ordinal); // cost recommendations only
        Assert.Contains("Agent fixer: move calls from gpt-4o to gpt-4o-mini", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_reports_on_the_utc_day_before_at()
    {
        using var output = new TempFolder();
        var day = new DateTimeOffset(History.ReportTo.UtcDateTime.Date, TimeSpan.Zero);

        var result = await Cli.RunAsync("daily", "--at", ReportTime.Format(day.AddDays(1).AddHours(6)), "--prometheus-url", prometheus.Url, "--output", output.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var path = Path.Combine(output.Path, $"perfotel-daily-{ReportTime.FileStamp(day)}-{ReportTime.FileStamp(day.AddDays(1))}.md");
        Assert.Equal(path + Environment.NewLine, result.Out);
        Assert.StartsWith($"# PerfOtel daily report: {ReportTime.Format(day)} to {ReportTime.Format(day.AddDays(1))}\n", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_to_sends_a_slack_compatible_summary()
    {
        using var output = new TempFolder();
        using var sink = new WebhookSink();

        var result = await Cli.RunAsync([.. Range, "--output", output.Path, "--post-to", sink.Url]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var (method, contentType, body) = Assert.Single(sink.Requests);
        Assert.Equal("POST", method);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith($"*PerfOtel agent report* {ReportTime.Format(History.ReportFrom)} to {ReportTime.Format(History.ReportTo)}\n", text, StringComparison.Ordinal);
        Assert.Contains("Agent runs 960 (+0.0%)", text, StringComparison.Ordinal);
        Assert.Contains("Top recommendations:\n1. The daily budget of team", text, StringComparison.Ordinal);
        Assert.Contains($"Report: perfotel-report-{Stamp}.md", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_post_exits_8_without_the_webhook_secret_and_keeps_the_report()
    {
        using var output = new TempFolder();
        using var sink = new WebhookSink(HttpStatusCode.NotFound);

        var result = await Cli.RunAsync([.. Range, "--output", output.Path, "--post-to", sink.Url]);

        Assert.Equal(ExitCodes.PostFailed, result.ExitCode);
        Assert.Equal($"perfotel-reports: error: posting the summary to {new Uri(sink.Url).GetLeftPart(UriPartial.Authority)} failed: HTTP 404 Not Found", result.ErrorLine);
        Assert.DoesNotContain("secret-token", result.Error, StringComparison.Ordinal);
        Assert.Single(output.Files());
    }

    [Fact]
    public async Task Status_prints_health_firing_alerts_and_top_offenders()
    {
        var result = await Cli.RunAsync("status", "--at", ReportTime.Format(History.At(310)), "--window", "30m", "--prometheus-url", prometheus.Url);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var lines = result.Out.Split('\n');
        Assert.Equal($"PerfOtel status at {ReportTime.Format(History.At(310))} (last 30m), Prometheus at {prometheus.Url}", lines[0]);
        // 100 × (0.6 × 98/120 + 0.4 × (1 - 1/150)) - 10 for the firing warning = 78.7
        Assert.Equal("Health score: 79/100 (runs 120, success 81.7%; LLM calls 150, errors 0.7%; firing alerts 1)", lines[1]);
        Assert.Contains("  warning  LLMErrorRatioHigh  {gen_ai_provider_name=openai, gen_ai_request_model=gpt-4o}", lines);
        var offenders = Array.IndexOf(lines, "Top offenders:");
        Assert.StartsWith("  reviewer", lines[offenders + 2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_filtered_series_as_csv_json_and_parquet()
    {
        using var output = new TempFolder();
        string[] export =
        [
            "export", "--from", ReportTime.Format(History.ReportFrom), "--to", ReportTime.Format(History.ReportTo), "--prometheus-url", prometheus.Url,
            "--metric", "agent_run_duration_seconds_count", "--match", "gen_ai_agent_name=planner", "--match", "agent_run_outcome!=failure", "--step", "5m", "--output", output.Path,
        ];

        var csv = await Cli.RunAsync([.. export, "--format", "csv"]);
        var json = await Cli.RunAsync([.. export, "--format", "json"]);
        var parquet = await Cli.RunAsync([.. export, "--format", "parquet"]);

        Assert.True(csv.ExitCode == 0 && json.ExitCode == 0 && parquet.ExitCode == 0, csv.Error + json.Error + parquet.Error);
        var rows = await File.ReadAllLinesAsync(csv.Out.Trim(), TestContext.Current.CancellationToken);
        Assert.Equal("timestamp,metric,agent_run_outcome,agent_team,gen_ai_agent_name,instance,job,otel_scope_name,value", rows[0]);
        Assert.Equal(1 + 49, rows.Length); // one series, a point every 5 min from --from to --to
        Assert.EndsWith(",planner,collector-a:8080,perfotel-collector,PerfOtel.Telemetry,240", rows[1], StringComparison.Ordinal);
        Assert.EndsWith(",480", rows[^1], StringComparison.Ordinal);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json.Out.Trim(), TestContext.Current.CancellationToken));
        var series = Assert.Single(document.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("planner", series.GetProperty("labels").GetProperty("gen_ai_agent_name").GetString());
        Assert.Equal(49, series.GetProperty("samples").GetArrayLength());

        await using var reader = await ParquetReader.CreateAsync(parquet.Out.Trim(), cancellationToken: TestContext.Current.CancellationToken);
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(49, group.RowCount);
        var values = new double[49];
        await group.ReadAsync(reader.Schema.DataFields.Single(f => f.Name == "value"), values.AsMemory(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(240, values[0]);
        Assert.Equal(480, values[^1]);
    }

    [Fact]
    public async Task Export_of_an_unknown_metric_exits_6_and_writes_nothing()
    {
        using var output = new TempFolder();

        var result = await Cli.RunAsync(
            "export", "--from", ReportTime.Format(History.ReportFrom), "--to", ReportTime.Format(History.ReportTo), "--prometheus-url", prometheus.Url,
            "--metric", "no_such_metric_total", "--output", output.Path);

        Assert.Equal(ExitCodes.NoData, result.ExitCode);
        Assert.StartsWith("perfotel-reports: error: no series of no_such_metric_total matching the filters", result.ErrorLine, StringComparison.Ordinal);
        Assert.Empty(output.Files());
    }
}
