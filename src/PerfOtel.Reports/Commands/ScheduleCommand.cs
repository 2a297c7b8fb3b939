using System.CommandLine;
using Cronos;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Scheduling;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary>
/// <c>schedule</c>: stays up and writes the daily, weekly and cost reports when their cron expressions (UTC) fire;
/// the service in docker-compose.yml. Each run is the same as the command run by hand at that time.
/// </summary>
internal static class ScheduleCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var daily = CronOption("--daily", "When to write the daily report");
        var weekly = CronOption("--weekly", "When to write the weekly report");
        var cost = CronOption("--cost", "When to write the cost report (last 7 days)");
        var heartbeat = new Option<string?>("--heartbeat-file")
        {
            Description = $"Write the time to this file at least every {ScheduleLoop.HeartbeatInterval.TotalSeconds:0} s (for a health check)",
            HelpName = "file",
        };
        var maxRuns = new Option<int?>("--max-runs")
        {
            Description = "Stop after this many fire times (default: run until stopped)",
            HelpName = "n",
        };
        var output = new ReportOutputOptions();

        var command = new Command("schedule", "Stay up and write the daily/weekly/cost reports on cron schedules (UTC, 5 or 6 fields, or @daily/@weekly)");
        command.Options.Add(daily);
        command.Options.Add(weekly);
        command.Options.Add(cost);
        command.Options.Add(heartbeat);
        command.Options.Add(maxRuns);
        output.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetResult(daily) is null && r.GetResult(weekly) is null && r.GetResult(cost) is null)
            {
                r.AddError("schedule needs at least one of --daily, --weekly, --cost");
            }
        });

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var settings = output.Read(parsed, global);
            var jobs = new List<ScheduledJob>();
            void Add(Option<CronExpression?> option, string name, ReportKind kind, Func<DateTimeOffset, ReportRange> period)
            {
                if (parsed.GetValue(option) is { } cron)
                {
                    jobs.Add(new ScheduledJob(name, cron, (at, ct) =>
                        CommandRunner.RunAsync(context, c => ReportJob.RunAsync(context, kind, period(at), settings, c), ct)));
                }
            }

            Add(daily, "daily", ReportKind.Daily, ReportPeriods.Daily);
            Add(weekly, "weekly", ReportKind.Weekly, ReportPeriods.Weekly);
            Add(cost, "cost", ReportKind.Cost, ReportPeriods.Weekly);

            context.Error.WriteLine($"{ReportsCli.Name}: schedule: {string.Join(", ", jobs.Select(j => $"{j.Name} at '{parsed.GetResult(j.Name == "daily" ? daily : j.Name == "weekly" ? weekly : cost)!.Tokens[0].Value}'"))} (UTC)");
            var loop = new ScheduleLoop(jobs, context.Time, context.Error, (span, ct) => Task.Delay(span, context.Time, ct), parsed.GetValue(heartbeat));
            try
            {
                await loop.RunAsync(parsed.GetValue(maxRuns), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGTERM is how a scheduler service is stopped: a normal end, not a failure.
                context.Error.WriteLine($"{ReportsCli.Name}: schedule: stopped");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<CronExpression?> CronOption(string name, string description) => new(name)
    {
        Description = description + " (cron in UTC: '0 6 * * *', '0 7 * * 1', or @daily/@weekly)",
        HelpName = "cron",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            try
            {
                return ScheduleLoop.Parse(text);
            }
            catch (CronFormatException e)
            {
                result.AddError($"{name}: '{text}' is not a cron expression: {e.Message.TrimEnd('.')}");
                return null;
            }
        },
    };
}
