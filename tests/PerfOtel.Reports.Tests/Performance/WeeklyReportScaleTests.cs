using System.Diagnostics;
using System.Globalization;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Tests.Integration;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests.Performance;

/// <summary>
/// The weekly report over 7 days (and the week before) of 1,000 series, against a real backfilled Prometheus.
/// Opt-in (the backfill of ~20 million samples takes minutes): <c>PERFOTEL_REPORTS_PERF=1</c>. It asserts the query
/// count, never the time; the time is printed and recorded in docs/PERFORMANCE.md ("Reports job").
/// </summary>
public class WeeklyReportScaleTests
{
    [Fact]
    public async Task Weekly_report_over_1000_series_with_a_bounded_number_of_queries()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("PERFOTEL_REPORTS_PERF") == "1", "opt-in: set PERFOTEL_REPORTS_PERF=1 (backfills ~20 million samples)");
        var midnight = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1).UtcDateTime.Date, TimeSpan.Zero);
        var history = new ScaleHistory(midnight);
        var log = new ProgressLog(Path.Combine(Path.GetTempPath(), "perfotel-reports-perf.txt"));
        var backfill = Stopwatch.StartNew();
        // PERFOTEL_REPORTS_PERF_DATA=DIR keeps the blocks (per day) for the next measurement.
        var keep = Environment.GetEnvironmentVariable("PERFOTEL_REPORTS_PERF_DATA") is { Length: > 0 } dir ? Path.Combine(dir, ReportTime.FileStamp(midnight)) : null;
        await using var server = await PrometheusServer.StartAsync(history.WriteAsync, keepData: keep);
        log.Add(string.Create(CultureInfo.InvariantCulture, $"backfill of {ScaleHistory.Series} series, {history.Samples:N0} samples over 14 days (0: blocks reused): {backfill.Elapsed.TotalSeconds:0.0} s"));

        // The reader alone (what the query bound is about), then the whole command as run by the scheduler, three times.
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var client = new PrometheusClient(http, new Uri(server.Url));
        var read = Stopwatch.StartNew();
        var data = await ReportReader.ReadAsync(client, ReportPeriods.Weekly(midnight), TestContext.Current.CancellationToken);
        log.Add(string.Create(CultureInfo.InvariantCulture, $"first read: {data.QueryCount} queries (bound {ReportReader.QueryBound}) in {read.Elapsed.TotalSeconds:0.00} s"));

        // Each query alone, to see where the time goes.
        var range = ReportPeriods.Weekly(midnight);
        var window = PromQl.Duration(range.Window);
        foreach (var (name, query) in PeriodReader.Queries(window).Select((q, i) => ($"period query {i}", q))
            .Append(("run buckets per bucket", ReportQueries.RunBucketsPerBucket(PromQl.Duration(range.Step)))))
        {
            var one = Stopwatch.StartNew();
            var n = name.StartsWith("period", StringComparison.Ordinal)
                ? (await client.QueryAsync(query, range.To, TestContext.Current.CancellationToken)).Count
                : (await client.QueryRangeAsync(query, range.Previous.From + range.Step, range.To, range.Step, TestContext.Current.CancellationToken)).Count;
            log.Add(string.Create(CultureInfo.InvariantCulture, $"  {name}: {n} series in {one.Elapsed.TotalSeconds:0.00} s"));
        }

        using var output = new TempFolder();
        var prometheusPid = PidListeningOn(new Uri(server.Url).Port);
        for (var i = 0; i < 3; i++)
        {
            var prometheusCpu = CpuSeconds(prometheusPid);
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var run = Stopwatch.StartNew();
            var result = await Cli.RunAsync("weekly", "--at", ReportTime.Format(midnight.AddHours(7)), "--prometheus-url", server.Url, "--output", output.Path, "--format", "markdown", "--format", "html", "--format", "json", "--format", "csv");
            Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
            log.Add(string.Create(CultureInfo.InvariantCulture,
                $"weekly command (markdown, html, json, csv), run {i + 1}: {run.Elapsed.TotalSeconds:0.00} s wall; CPU: Prometheus {CpuSeconds(prometheusPid) - prometheusCpu:0.00} s, reports job {(Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds:0.00} s; load average before {load}"));
        }

        TestContext.Current.SendDiagnosticMessage(log.Text);

        // 2-hour buckets tile the weeks (4 instant queries fewer), and a week ending at midnight starts the daily
        // budget period at its end (no day-to-date spend query).
        Assert.Equal(ReportReader.QueryBound - 5, data.QueryCount);
        Assert.Equal(ScaleHistory.Agents, data.Current.Kpis.Agents.Count);
    }

    /// <summary>The process whose command line listens on the port (the test's Prometheus).</summary>
    private static int PidListeningOn(int port)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)
                && File.Exists(Path.Combine(dir, "cmdline"))
                && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains($"--web.listen-address=127.0.0.1:{port}", StringComparison.Ordinal))
            {
                return pid;
            }
        }

        throw new InvalidOperationException($"no process listens on {port}");
    }

    /// <summary>User + system CPU seconds of a process, from /proc/PID/stat.</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Lines written to a file as they come (a run that fails half-way keeps what it measured).</summary>
    private sealed class ProgressLog(string path)
    {
        private readonly List<string> lines = [];

        public string Text => string.Join('\n', lines);

        public void Add(string line)
        {
            lines.Add(line);
            File.WriteAllText(path, Text + "\n");
        }
    }
}
