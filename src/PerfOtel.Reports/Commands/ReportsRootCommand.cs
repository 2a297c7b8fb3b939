using System.CommandLine;

namespace PerfOtel.Reports.Commands;

/// <summary>
/// The command tree. Each report kind is a sibling subcommand (<c>range</c> today; <c>daily</c>, <c>weekly</c>,
/// <c>cost</c>, <c>status</c>, <c>export</c> later) sharing the <see cref="GlobalOptions"/>.
/// </summary>
internal static class ReportsRootCommand
{
    public static RootCommand Create(CliContext context)
    {
        var global = new GlobalOptions(context);
        var root = new RootCommand(
            "PerfOtel reports: KPI summaries of agent runs and LLM calls, read from Prometheus.\n" + ExitCodes.HelpText);
        global.AddTo(root);
        root.Subcommands.Add(RangeCommand.Create(context, global));
        return root;
    }
}
