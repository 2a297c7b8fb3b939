using System.CommandLine;

namespace PerfOtel.Reports.Commands;

/// <summary>The command tree: one subcommand per report kind, sharing the <see cref="GlobalOptions"/>.</summary>
internal static class ReportsRootCommand
{
    public static RootCommand Create(CliContext context)
    {
        var global = new GlobalOptions(context);
        var root = new RootCommand(
            "PerfOtel reports: performance and cost reports of agent runs and LLM calls, read from Prometheus.\n" + ExitCodes.HelpText);
        global.AddTo(root);
        root.Subcommands.Add(PeriodCommand.Daily(context, global));
        root.Subcommands.Add(PeriodCommand.Weekly(context, global));
        root.Subcommands.Add(RangeCommand.Create(context, global));
        root.Subcommands.Add(CostCommand.Create(context, global));
        root.Subcommands.Add(StatusCommand.Create(context, global));
        root.Subcommands.Add(ExportCommand.Create(context, global));
        root.Subcommands.Add(ScheduleCommand.Create(context, global));
        return root;
    }
}
