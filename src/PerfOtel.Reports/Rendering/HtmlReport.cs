using System.Net;
using System.Text;
using System.Text.Json;
using PerfOtel.Reports.Analysis;

namespace PerfOtel.Reports.Rendering;

/// <summary>
/// The report as one self-contained HTML file: the <see cref="ReportSections"/> as HTML, and charts drawn by
/// Chart.js, which is inlined (no network, works offline). When the charts are drawn the script sets
/// <c>data-charts-rendered</c> on the body to their number; a script error sets <c>data-script-error</c>.
/// </summary>
internal sealed class HtmlReport : IReportRenderer
{
    public string FileExtension => "html";

    public string Render(ReportModel model)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"perfotel-reports\">\n")
            .Append("<title>").Append(E(model.Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n")
            .Append("<body data-charts-rendered=\"0\">\n<main>\n");

        var charts = ChartSpecs.For(model);
        foreach (var block in ReportSections.Build(model))
        {
            switch (block)
            {
                case Heading h:
                    html.Append("<h").Append(h.Level).Append('>').Append(E(h.Text)).Append("</h").Append(h.Level).Append(">\n");
                    break;
                case Paragraph p:
                    html.Append("<p>").Append(E(p.Text)).Append("</p>\n");
                    break;
                case Bullets b:
                    List(html, "ul", b.Items);
                    break;
                case Numbered n:
                    List(html, "ol", n.Items);
                    break;
                case Table t:
                    Table(html, t);
                    break;
                case Charts:
                    html.Append("<h2>Charts</h2>\n<section class=\"charts\">\n");
                    foreach (var chart in charts)
                    {
                        html.Append("<figure class=\"chart\"><figcaption>").Append(E(chart.Title)).Append("</figcaption><div class=\"canvas\"><canvas id=\"")
                            .Append(E(chart.Id)).Append("\" role=\"img\" aria-label=\"").Append(E(chart.Title)).Append("\"></canvas></div></figure>\n");
                    }

                    html.Append("</section>\n");
                    break;
            }
        }

        // The default encoder escapes <, >, & and ': the JSON cannot close the script element.
        var data = JsonSerializer.Serialize(new ChartPage(charts), ReportJsonContext.Default.ChartPage);
        html.Append("</main>\n<script id=\"report-data\" type=\"application/json\">").Append(data).Append("</script>\n")
            .Append("<script>\n").Append(ChartJs.Source).Append("\n</script>\n")
            .Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void List(StringBuilder html, string tag, IReadOnlyList<ListItem> items)
    {
        html.Append('<').Append(tag).Append(">\n");
        foreach (var item in items)
        {
            html.Append("<li>");
            if (item.Title is not null)
            {
                html.Append("<strong>").Append(E(item.Title)).Append("</strong>: ");
            }

            html.Append(E(item.Text));
            if (item.SubItems.Count > 0)
            {
                html.Append("<ul>");
                foreach (var sub in item.SubItems)
                {
                    html.Append("<li>").Append(E(sub)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</li>\n");
        }

        html.Append("</").Append(tag).Append(">\n");
    }

    private static void Table(StringBuilder html, Table t)
    {
        html.Append("<table>\n<thead><tr>");
        for (var i = 0; i < t.Headers.Count; i++)
        {
            html.Append(t.RightAligned[i] ? "<th class=\"num\">" : "<th>").Append(E(t.Headers[i])).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in t.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(t.RightAligned[i] ? "<td class=\"num\">" : "<td>").Append(E(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
        h1 { font-size: 1.6em; border-bottom: 2px solid #0969da; padding-bottom: 6px; }
        h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        h3 { font-size: 1.05em; margin-top: 1.2em; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
        th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; }
        th { background: #f6f8fa; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        li { margin: 4px 0; }
        li ul { color: #57606a; font-size: 0.92em; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 16px; }
        .chart { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; }
        .chart figcaption { font-weight: 600; margin-bottom: 4px; }
        .canvas { position: relative; height: 260px; }

        """;

    private const string Script = """
        (function () {
          'use strict';
          var body = document.body;
          function fail(message) { body.setAttribute('data-script-error', String(message)); }
          window.addEventListener('error', function (e) { fail(e.message || 'error'); });
          try {
            var page = JSON.parse(document.getElementById('report-data').textContent);
            Chart.defaults.animation = false;
            Chart.defaults.maintainAspectRatio = false;
            Chart.defaults.font.size = 11;
            var drawn = 0;
            page.charts.forEach(function (spec) {
              var canvas = document.getElementById(spec.id);
              var options = {
                responsive: true,
                interaction: { mode: 'index', intersect: false },
                plugins: { legend: { position: 'bottom' } },
                scales: spec.type === 'doughnut' ? {} : {
                  x: { stacked: spec.stacked, ticks: { maxTicksLimit: 12, autoSkip: true } },
                  y: { stacked: spec.stacked, beginAtZero: true, title: { display: !!spec.y_title, text: spec.y_title } }
                }
              };
              if (spec.horizontal) { options.indexAxis = 'y'; }
              var datasets = spec.datasets.map(function (d) {
                return {
                  label: d.label, data: d.data, type: d.type || undefined,
                  borderColor: d.color, backgroundColor: d.colors || d.fill_color || d.color,
                  borderDash: d.dashed ? [6, 4] : undefined, borderWidth: d.type === 'line' || spec.type === 'line' ? 2 : 1,
                  pointRadius: 0, spanGaps: false, fill: false, order: d.order
                };
              });
              var chart = new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
              if (chart.canvas.width > 0 && chart.canvas.height > 0) { drawn++; }
            });
            body.setAttribute('data-charts-rendered', String(drawn));
          } catch (e) {
            fail(e && e.message ? e.message : e);
          }
        })();

        """;
}

/// <summary>Chart.js, embedded in the assembly (see docs/REPORTS.md "Third-party").</summary>
internal static class ChartJs
{
    public const string Version = "4.6.1";

    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(ChartJs).Assembly.GetManifestResourceStream("PerfOtel.Reports.chart.umd.min.js")
            ?? throw new InvalidOperationException("the Chart.js resource is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static string Source => Text.Value;
}
