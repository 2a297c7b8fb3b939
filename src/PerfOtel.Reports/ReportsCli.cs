using System.CommandLine;
using System.CommandLine.Invocation;
using PerfOtel.Reports.Commands;

namespace PerfOtel.Reports;

/// <summary>The entry point of <c>perfotel-reports</c>, callable in-process with any writers.</summary>
internal static class ReportsCli
{
    public const string Name = "perfotel-reports";

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = ReportsRootCommand.Create(context);
        // No response files: "@FILE" is ours (--post-to @FILE), and a file's content must never appear in an error.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

        // System.CommandLine would print every error and the whole help text; a scheduler's log wants one line.
        if (parsed.Action is ParseErrorAction)
        {
            var errors = string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.')));
            return CommandRunner.Fail(context, ExitCodes.Usage, $"{errors} (see {Name} --help)");
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // Failures are handled by CommandRunner (one line, mapped exit code), never as a stack trace.
            EnableDefaultExceptionHandler = false,
            // Program.cs turns Ctrl+C into the cancellation token; in-process callers must not get signal handlers.
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }
}
