using Cronos;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Scheduling;

/// <summary>A report to run whenever its cron expression (UTC) fires; <see cref="Run"/> gets the fire time.</summary>
internal sealed record ScheduledJob(string Name, CronExpression Cron, Func<DateTimeOffset, CancellationToken, Task<int>> Run);

/// <summary>
/// Runs jobs on their cron schedules until cancelled (or <c>maxRuns</c> fire times have passed). A job's failure is
/// logged by the job and the loop goes on: one bad night must not stop next week's report. While waiting it touches
/// the heartbeat file at least every <see cref="HeartbeatInterval"/>, for a container health check.
/// </summary>
internal sealed class ScheduleLoop(
    IReadOnlyList<ScheduledJob> jobs,
    TimeProvider time,
    TextWriter log,
    Func<TimeSpan, CancellationToken, Task> delay,
    string? heartbeatFile = null)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>Parses 5-field (minute) or 6-field (second) cron, or a macro such as <c>@daily</c>.</summary>
    public static CronExpression Parse(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
    }

    /// <summary>Runs until cancelled or until <paramref name="maxFires"/> fire times were handled; returns how many.</summary>
    public async Task<int> RunAsync(int? maxFires, CancellationToken cancellationToken)
    {
        var fires = 0;
        var after = time.GetUtcNow();
        Heartbeat();
        while (!cancellationToken.IsCancellationRequested && (maxFires is null || fires < maxFires))
        {
            var due = jobs
                .Select(j => (Job: j, At: j.Cron.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc)))
                .Where(x => x.At is not null)
                .Select(x => (x.Job, At: new DateTimeOffset(x.At!.Value, TimeSpan.Zero)))
                .ToList();
            if (due.Count == 0)
            {
                log.WriteLine($"{ReportsCli.Name}: schedule: no job will ever run again; stopping");
                break;
            }

            var next = due.Min(x => x.At);
            // Wait in chunks that add up to the time left (read once: the clock is not polled while waiting).
            for (var left = next - time.GetUtcNow(); left > TimeSpan.Zero; left -= HeartbeatInterval)
            {
                await delay(left < HeartbeatInterval ? left : HeartbeatInterval, cancellationToken);
                Heartbeat();
            }

            foreach (var (job, _) in due.Where(x => x.At == next))
            {
                var code = await job.Run(next, cancellationToken);
                log.WriteLine($"{ReportsCli.Name}: schedule: {job.Name} for {ReportTime.Format(next)} exited {code}");
            }

            fires++;
            after = next;
        }

        return fires;
    }

    private void Heartbeat()
    {
        if (heartbeatFile is null)
        {
            return;
        }

        try
        {
            File.WriteAllText(heartbeatFile, ReportTime.Format(time.GetUtcNow()) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"{ReportsCli.Name}: schedule: cannot write the heartbeat file {heartbeatFile}: {e.Message}");
        }
    }
}
