using PerfOtel.Reports.Rendering;

namespace PerfOtel.Reports;

/// <summary>Where a report's data comes from and where, in which format, it goes.</summary>
internal sealed record ReportSettings(Uri PrometheusUrl, string OutputDirectory, ReportFormat Format);
