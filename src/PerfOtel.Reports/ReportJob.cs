using PerfOtel.Reports.Kpis;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports;

/// <summary>
/// Query, render, write: the steps every report command shares once it knows its range. <c>daily</c> and
/// <c>weekly</c> only compute a different <see cref="ReportRange"/>.
/// </summary>
internal static class ReportJob
{
    public static async Task<int> RunAsync(CliContext context, ReportRange range, ReportSettings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = context.QueryTimeout };
        var prometheus = new PrometheusClient(http, settings.PrometheusUrl);

        var kpis = await KpiReader.ReadAsync(prometheus, range, cancellationToken);
        if (kpis.IsEmpty)
        {
            throw new ReportFailure(
                ExitCodes.NoData,
                $"no agent run or LLM call metrics in {prometheus.DisplayUrl} between {ReportTime.Format(range.From)} and {ReportTime.Format(range.To)}; nothing written");
        }

        var document = new ReportDocument(range, prometheus.DisplayUrl, context.Time.GetUtcNow(), kpis);
        var renderer = ReportRenderers.For(settings.Format);
        var path = ReportFile.Write(settings.OutputDirectory, ReportFile.NameFor(range, renderer.FileExtension), renderer.Render(document));
        context.Out.WriteLine(path);
        return ExitCodes.Ok;
    }
}
