namespace PerfOtel.Reports.Rendering;

/// <summary>The formats a report can be written in (<c>--format</c>); HTML, JSON and CSV are to come.</summary>
internal enum ReportFormat
{
    Markdown,
}

/// <summary>The command-line names of the <see cref="ReportFormat"/>s.</summary>
internal static class ReportFormats
{
    private static readonly Dictionary<string, ReportFormat> ByName = new(StringComparer.Ordinal)
    {
        ["markdown"] = ReportFormat.Markdown,
    };

    public static string[] Names { get; } = [.. ByName.Keys];

    public static ReportFormat Parse(string name) => ByName[name];
}
