using System.CommandLine;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary>
/// <c>cost</c>: total, by model, agent and team, cost per successful run, budget status and exhaustion dates, and the
/// next period's forecast; over <c>--from</c>/<c>--to</c>, or the last <c>--days</c> whole UTC days.
/// </summary>
internal static class CostCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var from = TimeOption.CreateOptional("--from", "Start of the range, exclusive (with --to)");
        var to = TimeOption.CreateOptional("--to", "End of the range, inclusive (with --from)");
        var at = TimeOption.CreateOptional("--at", "Without --from/--to: the days end at the last UTC midnight at or before this time (default: now)");
        var days = new Option<int>("--days")
        {
            Description = "Without --from/--to: how many whole UTC days the report covers",
            DefaultValueFactory = _ => 7,
        };
        days.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 366)
            {
                r.AddError("--days: must be between 1 and 366");
            }
        });
        var output = new ReportOutputOptions();

        var command = new Command("cost", "Write the cost report: totals by model/agent/team, cost per successful run, budgets and forecasts");
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(at);
        command.Options.Add(days);
        output.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(from) is null) != (r.GetResult(to) is null))
            {
                r.AddError("--from and --to go together");
            }
        });

        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(context, ct =>
        {
            var range = parsed.GetValue(from) is { } f && parsed.GetValue(to) is { } t
                ? ReportRange.Create(f, t)
                : ReportPeriods.LastDays(parsed.GetValue(at) ?? context.Time.GetUtcNow(), parsed.GetValue(days));
            return ReportJob.RunAsync(context, ReportKind.Cost, range, output.Read(parsed, global), ct);
        }, cancellationToken));
        return command;
    }
}
