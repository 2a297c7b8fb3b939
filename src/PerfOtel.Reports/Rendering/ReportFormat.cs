namespace PerfOtel.Reports.Rendering;

/// <summary>The formats a report can be written in (<c>--format</c>, repeatable).</summary>
internal enum ReportFormat
{
    Markdown,
    Html,
    Json,
    Csv,
}

/// <summary>The command-line names of the <see cref="ReportFormat"/>s.</summary>
internal static class ReportFormats
{
    private static readonly Dictionary<string, ReportFormat> ByName = new(StringComparer.Ordinal)
    {
        ["markdown"] = ReportFormat.Markdown,
        ["html"] = ReportFormat.Html,
        ["json"] = ReportFormat.Json,
        ["csv"] = ReportFormat.Csv,
    };

    public static string[] Names { get; } = [.. ByName.Keys];

    public static ReportFormat Parse(string name) => ByName[name];
}
