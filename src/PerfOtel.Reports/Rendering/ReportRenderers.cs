namespace PerfOtel.Reports.Rendering;

/// <summary>The renderer for each <see cref="ReportFormat"/>.</summary>
internal static class ReportRenderers
{
    public static IReportRenderer For(ReportFormat format) => format switch
    {
        ReportFormat.Markdown => new MarkdownReport(),
        ReportFormat.Html => new HtmlReport(),
        ReportFormat.Json => new JsonReport(),
        ReportFormat.Csv => new CsvReport(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "no renderer for this format"),
    };
}
