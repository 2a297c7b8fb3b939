using PerfOtel.Reports.Scheduling;
using PerfOtel.Reports.Tests.Support;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Tests;

public class ScheduleTests
{
    [Fact]
    public async Task Jobs_run_at_their_cron_times_in_utc_and_a_failure_does_not_stop_the_loop()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 2, 2, 5, 0, 0, TimeSpan.Zero)); // a Monday
        var runs = new List<(string Job, DateTimeOffset At, DateTimeOffset Now)>();
        using var log = new StringWriter();
        using var temp = new TempFolder();
        var heartbeat = Path.Combine(temp.Path, "alive");
        ScheduledJob Job(string name, string cron, int code) => new(name, ScheduleLoop.Parse(cron), (at, _) =>
        {
            runs.Add((name, at, clock.GetUtcNow()));
            return Task.FromResult(code);
        });

        var loop = new ScheduleLoop(
            [Job("daily", "0 6 * * *", ExitCodes.PrometheusUnreachable), Job("weekly", "0 7 * * 1", ExitCodes.Ok)],
            clock,
            log,
            (span, _) =>
            {
                clock.Advance(span);
                return Task.CompletedTask;
            },
            heartbeat);

        var fires = await loop.RunAsync(maxFires: 4, TestContext.Current.CancellationToken);

        Assert.Equal(4, fires);
        Assert.Equal(
            [
                ("daily", new DateTimeOffset(2026, 2, 2, 6, 0, 0, TimeSpan.Zero)),
                ("weekly", new DateTimeOffset(2026, 2, 2, 7, 0, 0, TimeSpan.Zero)),
                ("daily", new DateTimeOffset(2026, 2, 3, 6, 0, 0, TimeSpan.Zero)),
                ("daily", new DateTimeOffset(2026, 2, 4, 6, 0, 0, TimeSpan.Zero)),
            ],
            runs.Select(r => (r.Job, r.At)));
        Assert.All(runs, r => Assert.Equal(r.At, r.Now));
        Assert.Contains("perfotel-reports: schedule: daily for 2026-02-02T06:00:00Z exited 4", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("2026-02-04T06:00:00Z\n", await File.ReadAllTextAsync(heartbeat, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Waiting_touches_the_heartbeat_at_least_every_30_seconds()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 2, 2, 5, 58, 0, TimeSpan.Zero));
        var waits = new List<TimeSpan>();
        var loop = new ScheduleLoop([new("daily", ScheduleLoop.Parse("@daily"), (_, _) => Task.FromResult(0))], clock, TextWriter.Null, (span, _) =>
        {
            waits.Add(span);
            clock.Advance(span);
            return Task.CompletedTask;
        });

        await loop.RunAsync(1, TestContext.Current.CancellationToken);

        Assert.All(waits, w => Assert.True(w <= ScheduleLoop.HeartbeatInterval));
        Assert.Equal(TimeSpan.FromHours(18) + TimeSpan.FromMinutes(2), TimeSpan.FromTicks(waits.Sum(w => w.Ticks)));
    }

    [Fact]
    public void Scheduled_reports_cover_whole_utc_days_before_the_fire_time()
    {
        var at = new DateTimeOffset(2026, 2, 2, 7, 0, 0, TimeSpan.FromHours(3)); // 04:00Z
        Assert.Equal((new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero)), (ReportPeriods.Daily(at).From, ReportPeriods.Daily(at).To));
        Assert.Equal(new DateTimeOffset(2026, 1, 26, 0, 0, 0, TimeSpan.Zero), ReportPeriods.Weekly(at).From);
        Assert.Equal(TimeSpan.FromDays(7), ReportPeriods.Weekly(at).Window);
    }

    [Fact]
    public async Task The_schedule_command_logs_each_run_keeps_going_after_failures_and_stops_after_max_runs()
    {
        using var temp = new TempFolder();
        var heartbeat = Path.Combine(temp.Path, "alive");
        var closed = $"http://127.0.0.1:{FreePort.Next()}";

        // A 6-field cron fires every second; the fixed test clock makes each wait one real second.
        var result = await Cli.RunAsync("schedule", "--daily", "* * * * * *", "--max-runs", "2", "--heartbeat-file", heartbeat, "--prometheus-url", closed, "--output", temp.Sub("out"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var lines = result.Error.TrimEnd('\n').Split('\n');
        Assert.Equal("perfotel-reports: schedule: daily at '* * * * * *' (UTC)", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith($"perfotel-reports: error: cannot reach Prometheus at {closed}", StringComparison.Ordinal)));
        Assert.Contains("perfotel-reports: schedule: daily for 2026-01-31T13:00:01Z exited 4", lines);
        Assert.Contains("perfotel-reports: schedule: daily for 2026-01-31T13:00:02Z exited 4", lines);
        Assert.True(File.Exists(heartbeat));
        Assert.False(Directory.Exists(temp.Sub("out")));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan span) => now += span;
    }
}
