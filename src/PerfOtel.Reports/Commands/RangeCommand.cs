using System.CommandLine;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Commands;

/// <summary><c>range --from T --to T</c>: the performance report for an explicit time range.</summary>
internal static class RangeCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var from = TimeOption.Create("--from", "Start of the range, exclusive");
        var to = TimeOption.Create("--to", "End of the range, inclusive");
        var output = new ReportOutputOptions();

        var command = new Command("range", "Write the performance report for the range between --from and --to, compared with the range before it");
        command.Options.Add(from);
        command.Options.Add(to);
        output.AddTo(command);

        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(context, async ct =>
        {
            var range = ReportRange.Create(parsed.GetValue(from), parsed.GetValue(to));
            return await ReportJob.RunAsync(context, ReportKind.Range, range, output.Read(parsed, global), ct);
        }, cancellationToken));
        return command;
    }
}
