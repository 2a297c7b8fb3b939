using System.CommandLine;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary><c>daily</c> and <c>weekly</c>: the performance report of the last whole UTC day or 7 days.</summary>
internal static class PeriodCommand
{
    public static Command Daily(CliContext context, GlobalOptions global) =>
        Create(context, global, "daily", ReportKind.Daily, "Write the report of the last whole UTC day, compared with the day before", ReportPeriods.Daily);

    public static Command Weekly(CliContext context, GlobalOptions global) =>
        Create(context, global, "weekly", ReportKind.Weekly, "Write the report of the last 7 whole UTC days, compared with the 7 days before", ReportPeriods.Weekly);

    private static Command Create(CliContext context, GlobalOptions global, string name, ReportKind kind, string description, Func<DateTimeOffset, ReportRange> period)
    {
        var at = TimeOption.CreateOptional("--at", "Report on the period ending at the last UTC midnight at or before this time (default: now)");
        var output = new ReportOutputOptions();
        var command = new Command(name, description);
        command.Options.Add(at);
        output.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(context, ct =>
            ReportJob.RunAsync(context, kind, period(parsed.GetValue(at) ?? context.Time.GetUtcNow()), output.Read(parsed, global), ct), cancellationToken));
        return command;
    }
}
