using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Rendering;

/// <summary>Turns a <see cref="ReportModel"/> into the text of one file format.</summary>
internal interface IReportRenderer
{
    /// <summary>The file name extension, without the dot (<c>md</c>).</summary>
    string FileExtension { get; }

    string Render(ReportModel model);
}
