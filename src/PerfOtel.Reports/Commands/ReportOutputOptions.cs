using System.CommandLine;
using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports.Commands;

/// <summary>Where and how a report command writes its file; shared by every command that writes a report.</summary>
internal sealed class ReportOutputOptions
{
    public ReportOutputOptions()
    {
        Format.AcceptOnlyFromAmong(ReportFormats.Names);
    }

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder the report is written to (created if missing)",
        HelpName = "dir",
        DefaultValueFactory = _ => ".",
    };

    public Option<string> Format { get; } = new("--format")
    {
        Description = "Report format",
        DefaultValueFactory = _ => ReportFormats.Names[0],
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(Format);
    }

    public ReportSettings Read(ParseResult parsed, GlobalOptions global) =>
        new(parsed.GetRequiredValue(global.PrometheusUrl), parsed.GetRequiredValue(Output), ReportFormats.Parse(parsed.GetRequiredValue(Format)));
}
