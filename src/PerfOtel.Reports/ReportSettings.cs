using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports;

/// <summary>Where a report's data comes from and where, in which formats, it goes (and optionally whom it tells).</summary>
internal sealed record ReportSettings(Uri PrometheusUrl, string OutputDirectory, IReadOnlyList<ReportFormat> Formats, Uri? PostTo = null, string? PrometheusCaFile = null)
{
    public PrometheusEndpoint Prometheus => new(PrometheusUrl, PrometheusCaFile);
}
