using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PerfOtel.Stack.Tests.Fixture;
using YamlDotNet.RepresentationModel;

namespace PerfOtel.Stack.Tests;

/// <summary>
/// What the Overview dashboard costs Prometheus over a 7-day range, measured on a Prometheus 2.x holding 7 days of
/// backfilled history (<see cref="WeekOfHistory"/>: raw series with <c>promtool tsdb create-blocks-from
/// openmetrics</c>, the recording rules the dashboard reads with <c>create-blocks-from rules</c>). Every query has to
/// answer with data; the time is reported (test output and the attachment dashboard-query-cost.md), not asserted:
/// wall time on a shared machine is no pass/fail criterion. docs/PERFORMANCE.md ("Dashboards") has the figure.
/// A measurement, not a check: it takes 2 to 5 minutes, so it runs when asked for:
/// <c>PERFOTEL_QUERY_COST=1</c> (blocks as backfilled) or <c>PERFOTEL_QUERY_COST=compacted</c> (after Prometheus has
/// compacted them, as a week of running would have: the production-like figure).
/// </summary>
public sealed partial class DashboardQueryCostTests(WeekOfPrometheus prometheus) : IClassFixture<WeekOfPrometheus>
{
    /// <summary>Grafana's step for a 7-day range on a ~1000-pixel-wide panel, and its $__rate_interval (step + scrape).</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Overview_queries_over_seven_days_answer_with_data_and_their_time_is_reported()
    {
        Assert.SkipUnless(WeekOfPrometheus.Enabled, "a 2-5 minute measurement: set PERFOTEL_QUERY_COST=1 (or =compacted) to run it; the figure is in docs/PERFORMANCE.md");
        var queries = StackQueries.DashboardQueries().Where(q => q.Dashboard == "perfotel-overview.json").ToList();
        Assert.NotEmpty(queries);
        var end = DateTimeOffset.FromUnixTimeSeconds(prometheus.History.End);
        var report = new StringBuilder();
        var empty = new List<string>();
        var totals = new List<double>();
        for (var round = 1; round <= 2; round++)
        {
            var total = Stopwatch.StartNew();
            foreach (var q in queries)
            {
                var (expr, range) = AsGrafanaSends(q, end);
                var watch = Stopwatch.StartNew();
                var result = q.Instant || range is not null
                    ? await prometheus.Api.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expr)}&time={end.ToUnixTimeSeconds()}")
                    : await prometheus.Api.GetAsync($"/api/v1/query_range?query={Uri.EscapeDataString(expr)}&start={end.AddDays(-7).ToUnixTimeSeconds()}&end={end.ToUnixTimeSeconds()}&step={(int)Step.TotalSeconds}");
                watch.Stop();
                Assert.True(result.GetProperty("status").GetString() == "success", $"{q.Panel}: {result.GetRawText()}");
                var series = result.GetProperty("data").GetProperty("result").GetArrayLength();
                if (round == 1)
                {
                    if (series == 0 && q.RefId != StackQueries.AnnotationRefId)
                    {
                        empty.Add($"{q.Panel} [{q.RefId}]: {expr}");
                    }

                    report.Append(CultureInfo.InvariantCulture, $"| {q.Panel} [{q.RefId}] | {(q.Instant ? "instant" : "range")}{(range is null ? "" : $" ({range})")} | {series} | {watch.Elapsed.TotalMilliseconds:0} |\n");
                }
            }

            totals.Add(total.Elapsed.TotalSeconds);
        }

        var text = $"""
            # Overview dashboard: query cost over 7 days

            Prometheus {prometheus.Version}, {prometheus.Blocks} blocks ({(prometheus.Compacted ? "compacted by Prometheus, as after a week of running" : "2-hour blocks as backfilled, not compacted: pessimistic")}), {prometheus.History.Samples:N0}
            raw samples (series the dashboard reads raw every {WeekOfHistory.ScrapeSeconds} s, rule inputs every {WeekOfHistory.InputSeconds} s) plus the recording
            rules {string.Join(", ", prometheus.BackfilledRules)} (every 15 s). Setup: {prometheus.SetupSeconds:0} s (raw backfill {prometheus.RawBackfillSeconds:0} s, rule backfill {prometheus.RuleBackfillSeconds:0} s).
            Range queries: 7 days, step {Step.TotalMinutes:0} min ($__rate_interval {Step.TotalMinutes:0}m15s); instant queries at the
            range's end ($__range 7d; panels with a "today" time override: since midnight).

            Total: {totals[0]:0.000} s cold (first load), {totals[1]:0.000} s warm (second load), {queries.Count} queries.

            | panel [query] | kind | series | ms (cold) |
            | --- | --- | --- | --- |
            {report}
            """;
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        TestContext.Current.AddAttachment("dashboard-query-cost.md", text);
        Assert.True(empty.Count == 0, "Overview queries without data on 7 days of history:\n" + string.Join('\n', empty) + "\n\n" + text);
    }

    /// <summary>The query as Grafana sends it for a 7-day range with every variable at All.</summary>
    private static (string Expr, string? Range) AsGrafanaSends(DashboardQuery q, DateTimeOffset end)
    {
        var panel = PanelTimeOverride(q);
        var range = panel is "now/d" ? $"{(int)(end - new DateTimeOffset(end.Date, TimeSpan.Zero)).TotalSeconds}s" : "7d";
        var rangeSeconds = panel is "now/d" ? (long)(end - new DateTimeOffset(end.Date, TimeSpan.Zero)).TotalSeconds : 7 * 86400;
        var expr = q.Expr
            .Replace("$__rate_interval", $"{Step.TotalMinutes:0}m15s", StringComparison.Ordinal)
            .Replace("$__interval", $"{Step.TotalMinutes:0}m", StringComparison.Ordinal)
            .Replace("$__range_s", rangeSeconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__range", range, StringComparison.Ordinal);
        return (AllValues().Replace(expr, ".*"), panel is null ? null : $"time override {panel}");
    }

    /// <summary>The panel's relative time override (timeFrom), if it has one.</summary>
    private static string? PanelTimeOverride(DashboardQuery q)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Of("grafana", "dashboards", q.Dashboard)));
        foreach (var p in doc.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (p.TryGetProperty("title", out var t) && t.GetString() == q.Panel && p.TryGetProperty("timeFrom", out var from))
            {
                return from.GetString();
            }
        }

        return null;
    }

    [GeneratedRegex(@"\$\{?[a-zA-Z]\w*(:\w+)?\}?")]
    private static partial Regex AllValues();
}

/// <summary>
/// A Prometheus on 7 days of backfilled history (no scraping, no rule evaluation): raw series from
/// <see cref="WeekOfHistory"/>, then the recording rules the Overview dashboard reads, backfilled from them.
/// </summary>
public sealed class WeekOfPrometheus : IAsyncLifetime
{
    private BackgroundProcess? server;

    public string Dir { get; } = Directory.CreateTempSubdirectory("perfotel-week-").FullName;

    public int Port { get; } = FreePort.Next();

    public WeekOfHistory History { get; } = new(AlignedEnd());

    public PrometheusApi Api { get; private set; } = null!;

    public string Version { get; private set; } = "";

    public int Blocks { get; private set; }

    public List<string> BackfilledRules { get; } = [];

    public double SetupSeconds { get; private set; }

    public double RawBackfillSeconds { get; private set; }

    public double RuleBackfillSeconds { get; private set; }

    /// <summary>
    /// With PERFOTEL_QUERY_COST=compacted the measurement waits until Prometheus has compacted the backfilled 2-hour
    /// blocks as it would have over the week (its first compaction starts a minute after start; a few minutes in
    /// all): the production-like figure of docs/PERFORMANCE.md. Without it the blocks are measured as backfilled, a
    /// pessimistic figure that costs no waiting.
    /// </summary>
    public bool Compacted { get; } = Environment.GetEnvironmentVariable("PERFOTEL_QUERY_COST") == "compacted";

    /// <summary>PERFOTEL_QUERY_COST set: the fixture builds the history (else it does nothing and the test skips).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable("PERFOTEL_QUERY_COST") is "1" or "compacted";

    public async ValueTask InitializeAsync()
    {
        if (!Enabled)
        {
            return;
        }

        var setup = Stopwatch.StartNew();
        var data = Directory.CreateDirectory(Path.Combine(Dir, "data")).FullName;
        var input = Directory.CreateDirectory(Path.Combine(Dir, "in")).FullName;

        // One promtool per 2-hour block, two at a time (the machine has two cores), while the next file is written.
        var running = new List<Task>();
        foreach (var block in History.Blocks())
        {
            var file = Path.Combine(input, $"{block}.om");
            History.WriteBlockFile(block, file);
            running.Add(BackfillAsync(file, data));
            if (running.Count >= 2)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                await done;
            }
        }

        await Task.WhenAll(running);
        RawBackfillSeconds = setup.Elapsed.TotalSeconds;

        // The recording rules the Overview reads, as shipped, evaluated every 15 s (the shipped evaluation interval)
        // over the week by promtool against this Prometheus.
        await StartAsync(data);
        var rules = Path.Combine(Dir, "overview-rules.yml");
        File.WriteAllText(rules, OverviewRules());
        var rulesOut = Path.Combine(Dir, "rules-out");
        var r = await ToolRun.RunAsync("promtool",
        [
            "tsdb", "create-blocks-from", "rules", "--quiet", $"--url=http://127.0.0.1:{Port}", $"--start={History.Start}", $"--end={History.End}",
            "--eval-interval=15s", $"--output-dir={rulesOut}", rules,
        ], timeout: TimeSpan.FromMinutes(3));
        Assert.True(r.ExitCode == 0, $"promtool create-blocks-from rules failed:\n{r.Output}");
        RuleBackfillSeconds = setup.Elapsed.TotalSeconds - RawBackfillSeconds;
        await server!.DisposeAsync();
        foreach (var block in Directory.GetDirectories(rulesOut))
        {
            Directory.Move(block, Path.Combine(data, Path.GetFileName(block)));
        }

        await StartAsync(data);
        if (Compacted)
        {
            await WaitForCompactionAsync();
        }

        Blocks = (int)await LoadedBlocksAsync();
        var build = await Api.GetAsync("/api/v1/status/buildinfo");
        Version = build.GetProperty("data").GetProperty("version").GetString() ?? "";
        SetupSeconds = setup.Elapsed.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        Api?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>prometheus_tsdb_blocks_loaded from the server's own /metrics (it does not scrape itself here).</summary>
    private async Task<double> LoadedBlocksAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{Port}/metrics");
        var line = text.Split('\n').First(l => l.StartsWith("prometheus_tsdb_blocks_loaded ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private async Task WaitForCompactionAsync()
    {
        // Done when the block count has not changed for 20 s after the first compaction (~1 min after start).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        var last = await LoadedBlocksAsync();
        var stableSince = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(65));
        while (DateTime.UtcNow < deadline)
        {
            var now = await LoadedBlocksAsync();
            if (now != last)
            {
                (last, stableSince) = (now, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(20))
            {
                return;
            }

            await Task.Delay(1000);
        }
    }

    private static async Task BackfillAsync(string file, string output)
    {
        var r = await ToolRun.RunAsync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, output], timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, $"promtool create-blocks-from openmetrics {file} failed:\n{r.Output}");
        File.Delete(file);
    }

    private async Task StartAsync(string data)
    {
        var config = Path.Combine(Dir, "prometheus.yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 15s\n");
        Api?.Dispose();
        server = BackgroundProcess.Start("prometheus-week", "prometheus",
        [
            $"--config.file={config}", $"--storage.tsdb.path={data}", "--storage.tsdb.retention.time=30d",
            $"--web.listen-address=127.0.0.1:{Port}",
        ], workingDirectory: Dir);
        await server.WaitForHttpOkAsync($"http://127.0.0.1:{Port}/-/ready", TimeSpan.FromSeconds(60));
        Api = new PrometheusApi($"http://127.0.0.1:{Port}");
    }

    /// <summary>
    /// The shipped recording rules whose series the Overview reads (but the self-referencing period_to_date, which
    /// promtool cannot backfill: <see cref="WeekOfHistory"/> writes it), in one group.
    /// </summary>
    private string OverviewRules()
    {
        var used = StackQueries.DashboardQueries().Where(q => q.Dashboard == "perfotel-overview.json")
            .SelectMany(q => PromQlNames.Extract(q.Expr)).Where(n => n.Contains(':', StringComparison.Ordinal)).ToHashSet();
        var rules = new StringBuilder("groups:\n  - name: overview\n    rules:\n");
        foreach (var file in Directory.GetFiles(RepoPaths.Of("prometheus", "rules"), "*.yml").Order())
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                yaml.Load(reader);
            }

            foreach (var group in ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Cast<YamlMappingNode>())
            {
                foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
                {
                    if (!rule.Children.TryGetValue("record", out var record) || !used.Contains(record.ToString()))
                    {
                        continue;
                    }

                    var expr = rule["expr"].ToString();
                    if (PromQlNames.Extract(expr).Contains(record.ToString()))
                    {
                        continue;
                    }

                    BackfilledRules.Add(record.ToString());
                    rules.Append(CultureInfo.InvariantCulture, $"      - record: {record}\n        expr: {JsonSerializer.Serialize(expr)}\n");
                }
            }
        }

        return rules.ToString();
    }

    /// <summary>The last 2-hour boundary: the history ends there, so no block overlaps the (empty) head.</summary>
    private static DateTimeOffset AlignedEnd()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(now - (now % 7200));
    }
}
