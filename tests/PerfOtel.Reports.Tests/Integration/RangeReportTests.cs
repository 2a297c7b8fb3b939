using System.Globalization;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;
using static PerfOtel.Reports.Tests.Integration.AgentHistory;

namespace PerfOtel.Reports.Tests.Integration;

/// <summary>The range report against a real Prometheus holding <see cref="AgentHistory"/>.</summary>
public class RangeReportTests(BackfilledPrometheus prometheus) : IClassFixture<BackfilledPrometheus>
{
    private AgentHistory History => prometheus.History;

    [Fact]
    public async Task Kpis_are_the_exact_counts_of_the_range_summed_over_replicas()
    {
        var kpis = await ReadAsync(History.ReportFrom, History.ReportTo);

        Assert.Equal(["planner", "reviewer"], kpis.Agents.Select(a => a.Agent));
        Assert.Equal(["input", "output"], kpis.TokenTypes);

        var planner = kpis.Agents[0].Values;
        Assert.Equal(PlannerRuns, planner.Runs);
        Assert.Equal(PlannerSuccesses, planner.SuccessfulRuns);
        Assert.Equal(PlannerCalls, planner.LlmCalls);
        Assert.Equal(PlannerFailedCalls, planner.FailedLlmCalls);
        Assert.Equal(PlannerInputTokens, planner.Tokens("input"));
        Assert.Equal(PlannerOutputTokens, planner.Tokens("output"));

        // Every series of reviewer starts inside the range: counted from zero, first scrape included.
        var reviewer = kpis.Agents[1].Values;
        Assert.Equal(ReviewerRuns, reviewer.Runs);
        Assert.Equal(ReviewerSuccesses, reviewer.SuccessfulRuns);
        Assert.Equal(ReviewerCalls, reviewer.LlmCalls);
        Assert.Equal(0, reviewer.FailedLlmCalls);
        Assert.Equal(ReviewerInputTokens, reviewer.Tokens("input"));
        Assert.Equal(ReviewerOutputTokens, reviewer.Tokens("output"));

        var total = kpis.Total;
        Assert.Equal(PlannerRuns + ReviewerRuns, total.Runs);
        Assert.Equal((double)(PlannerSuccesses + ReviewerSuccesses) / (PlannerRuns + ReviewerRuns), total.SuccessRatio);
        Assert.Equal(PlannerCalls + ReviewerCalls, total.LlmCalls);
        Assert.Equal((double)PlannerFailedCalls / (PlannerCalls + ReviewerCalls), total.LlmErrorRatio);
        Assert.Equal(PlannerInputTokens + ReviewerInputTokens, total.Tokens("input"));
        Assert.Equal(PlannerOutputTokens + ReviewerOutputTokens, total.Tokens("output"));
    }

    [Fact]
    public async Task P95_run_duration_falls_in_the_bucket_holding_the_95th_percentile()
    {
        var kpis = await ReadAsync(History.ReportFrom, History.ReportTo);

        // planner: 180 × 3 s, 120 × 8 s, 60 × 45 s; rank 342 of 360 is a 45 s run → (30, 60].
        Assert.InRange(kpis.Agents[0].Values.P95RunDurationSeconds!.Value, 30.000001, 60);
        // reviewer: 20 × 0.5 s, 23 × 12 s; rank 40.85 of 43 → (10, 20].
        Assert.InRange(kpis.Agents[1].Values.P95RunDurationSeconds!.Value, 10.000001, 20);
        // all: 343 runs ≤ 20 s of 403; rank 382.85 → (30, 60].
        Assert.InRange(kpis.Total.P95RunDurationSeconds!.Value, 30.000001, 60);
    }

    [Fact]
    public async Task Consecutive_ranges_add_up_to_the_whole()
    {
        var middle = History.At(250);

        var first = await ReadAsync(History.ReportFrom, middle);
        var second = await ReadAsync(middle, History.ReportTo);

        Assert.Equal(PlannerRuns + ReviewerRuns, first.Total.Runs + second.Total.Runs);
        Assert.Equal(PlannerInputTokens + ReviewerInputTokens, first.Total.Tokens("input") + second.Total.Tokens("input"));
        Assert.Equal(PlannerCalls + ReviewerCalls, first.Total.LlmCalls + second.Total.LlmCalls);
    }

    [Fact]
    public async Task A_counter_reset_inside_the_range_falls_back_to_increase_and_other_series_stay_exact()
    {
        var kpis = await ReadAsync(History.ReportTo, History.End);

        Assert.Equal(["fixer", "planner", "reviewer"], kpis.Agents.Select(a => a.Agent));
        // increase() extrapolates: within a run or two of the truth, far from the 61 of "last minus first".
        Assert.InRange(kpis.Agents[0].Values.Runs, FixerRuns - 2, FixerRuns + 2);
        Assert.Equal(1, kpis.Agents[0].Values.SuccessRatio);
        Assert.InRange(kpis.Agents[0].Values.P95RunDurationSeconds!.Value, 20.000001, 30);
        Assert.Equal(120 + 60, kpis.Agents[1].Values.Runs); // planner, no reset: still exact
    }

    [Fact]
    public async Task Plain_increase_would_miscount_this_history()
    {
        // Why KpiQueries do not use increase(): it drops the first scrape of a series born inside the range.
        using var http = new HttpClient();
        var client = new PrometheusClient(http, new Uri(prometheus.Url));
        var window = PromQl.Duration(History.ReportTo - History.ReportFrom);

        var increase = await client.QueryAsync(
            $"sum(increase(agent_run_duration_seconds_count{{gen_ai_agent_name=\"reviewer\"}}[{window}]))", History.ReportTo, TestContext.Current.CancellationToken);

        Assert.NotEqual(ReviewerRuns, Assert.Single(increase).Value);
    }

    [Fact]
    public async Task Range_command_writes_the_markdown_report_and_prints_its_path()
    {
        using var output = new TempFolder();
        var from = ReportTime.Format(History.ReportFrom); // ISO-8601 ...
        var to = History.ReportTo.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture); // ... and unix seconds

        var result = await Cli.RunAsync("range", "--from", from, "--to", to, "--prometheus-url", prometheus.Url, "--output", output.Sub("reports"), "--format", "markdown");

        Assert.True(result.ExitCode == ExitCodes.Ok, $"exit {result.ExitCode}: {result.Error}\n{prometheus.Log}");
        Assert.Equal("", result.Error);
        var expectedPath = Path.Combine(output.Sub("reports"), $"perfotel-report-{ReportTime.FileStamp(History.ReportFrom)}-{ReportTime.FileStamp(History.ReportTo)}.md");
        Assert.Equal(expectedPath + Environment.NewLine, result.Out);
        Assert.Equal([expectedPath], output.Files()); // no temporary file left behind

        var markdown = await File.ReadAllTextAsync(expectedPath, TestContext.Current.CancellationToken);
        Assert.StartsWith($"# PerfOtel agent report: {ReportTime.Format(History.ReportFrom)} to {ReportTime.Format(History.ReportTo)}\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"- Source: Prometheus at {prometheus.Url}\n", markdown, StringComparison.Ordinal);
        Assert.Equal(["Agent runs", "403"], Cells(markdown, "Agent runs")[..2]);
        Assert.Equal(["Run success ratio", "80.1%"], Cells(markdown, "Run success ratio")[..2]);
        Assert.Equal(["LLM calls", "909"], Cells(markdown, "LLM calls")[..2]);
        Assert.Equal(["LLM call error ratio", "2.6%"], Cells(markdown, "LLM call error ratio")[..2]);
        Assert.Equal(["Tokens (input)", "391,000"], Cells(markdown, "Tokens (input)")[..2]);
        Assert.Equal(["Tokens (output)", "93,500"], Cells(markdown, "Tokens (output)")[..2]);

        // Agent, runs, success ratio, p50, p95, p95 change, calls, error ratio, tokens in, tokens out, ...
        var planner = Cells(markdown, "planner");
        Assert.Equal(["planner", "360", "83.3%"], planner[..3]);
        Assert.Equal(["744", "3.2%", "336,000", "84,000"], planner[6..10]);
        Assert.InRange(ParseSeconds(planner[4]), 30.000001, 60);
        var reviewer = Cells(markdown, "reviewer");
        Assert.Equal(["reviewer", "43", "53.5%"], reviewer[..3]);
        Assert.Equal(["165", "0.0%", "55,000", "9,500"], reviewer[6..10]);
        Assert.InRange(ParseSeconds(reviewer[4]), 10.000001, 20);
    }

    [Fact]
    public async Task A_range_shorter_than_a_bucket_still_reports_exact_counts()
    {
        // 30 s: no bucketed series, the rest as usual.
        var kpis = await ReadAsync(History.At(200), History.At(202));

        // planner @ a: steps 201 and 202; planner @ b: step 202; reviewer's lump at its birth (step 200) is not in (200, 202].
        Assert.Equal(3, kpis.Total.Runs);
        Assert.Equal(["planner", "reviewer"], kpis.Agents.Select(a => a.Agent));
    }

    [Fact]
    public async Task A_range_without_data_exits_6_and_writes_nothing()
    {
        using var output = new TempFolder();

        var result = await Cli.RunAsync(
            "range", "--from", ReportTime.Format(History.Start.AddHours(-3)), "--to", ReportTime.Format(History.Start.AddHours(-1)),
            "--prometheus-url", prometheus.Url, "--output", output.Path);

        Assert.Equal(ExitCodes.NoData, result.ExitCode);
        Assert.StartsWith($"perfotel-reports: error: no agent run or LLM call metrics in {prometheus.Url} between ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.Empty(output.Files());
    }

    [Fact]
    public async Task A_prometheus_error_answer_exits_5_and_writes_nothing()
    {
        using var output = new TempFolder();

        // Prometheus answers 404 under a path it does not serve.
        var result = await Cli.RunAsync(
            "range", "--from", ReportTime.Format(History.ReportFrom), "--to", ReportTime.Format(History.ReportTo),
            "--prometheus-url", prometheus.Url + "/not-prometheus", "--output", output.Path);

        Assert.Equal(ExitCodes.PrometheusError, result.ExitCode);
        Assert.Equal($"perfotel-reports: error: Prometheus at {prometheus.Url}/not-prometheus answered HTTP 404 Not Found", result.ErrorLine);
        Assert.Empty(output.Files());
    }

    private async Task<KpiReport> ReadAsync(DateTimeOffset from, DateTimeOffset to)
    {
        using var http = new HttpClient();
        var data = await ReportReader.ReadAsync(new PrometheusClient(http, new Uri(prometheus.Url)), ReportRange.Create(from, to), TestContext.Current.CancellationToken);
        return data.Current.Kpis;
    }

    /// <summary>The cells of the table row whose first cell is <paramref name="first"/>.</summary>
    private static string[] Cells(string markdown, string first)
    {
        var row = markdown.Split("\n").First(l => l.StartsWith($"| {first} |", StringComparison.Ordinal));
        return row.Trim('|', ' ').Split(" | ");
    }

    private static double ParseSeconds(string cell) =>
        double.Parse(cell.Replace(" s", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
