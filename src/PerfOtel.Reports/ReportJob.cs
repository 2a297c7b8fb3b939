using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Data;
using PerfOtel.Reports.Delivery;
using PerfOtel.Reports.Prometheus;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports;

/// <summary>
/// Query, analyse, render, write, post: the steps every report command shares once it knows its range. <c>daily</c>,
/// <c>weekly</c> and <c>cost</c> only compute a different <see cref="ReportRange"/> or <see cref="ReportKind"/>.
/// </summary>
internal static class ReportJob
{
    public static async Task<int> RunAsync(CliContext context, ReportKind kind, ReportRange range, ReportSettings settings, CancellationToken cancellationToken)
    {
        using var http = settings.Prometheus.CreateHttpClient(context.QueryTimeout);
        var prometheus = new PrometheusClient(http, settings.PrometheusUrl);

        var data = await ReportReader.ReadAsync(prometheus, range, cancellationToken);
        if (data.Current.Kpis.IsEmpty)
        {
            throw new ReportFailure(
                ExitCodes.NoData,
                $"no agent run or LLM call metrics in {prometheus.DisplayUrl} between {ReportTime.Format(range.From)} and {ReportTime.Format(range.To)}; nothing written");
        }

        var model = ReportAnalyzer.Analyze(kind, range, data, prometheus.DisplayUrl, context.Time.GetUtcNow());

        // Render everything before writing anything: a renderer's failure leaves no file behind.
        var rendered = settings.Formats.Select(f => ReportRenderers.For(f)).Select(r => (r.FileExtension, Text: r.Render(model))).ToList();
        var paths = new List<string>(rendered.Count);
        foreach (var (extension, text) in rendered)
        {
            paths.Add(ReportFile.Write(settings.OutputDirectory, ReportFile.NameFor(kind, range, extension), text));
        }

        foreach (var path in paths)
        {
            context.Out.WriteLine(path);
        }

        if (settings.PostTo is { } url)
        {
            await SummaryPoster.PostAsync(http, url, SummaryPoster.Summary(model, paths), cancellationToken);
        }

        return ExitCodes.Ok;
    }
}
