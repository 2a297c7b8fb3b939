using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Rendering;

/// <summary>Everything a renderer shows: what was measured, over which range, from where, when.</summary>
internal sealed record ReportDocument(ReportRange Range, string Source, DateTimeOffset GeneratedAt, KpiReport Kpis);
