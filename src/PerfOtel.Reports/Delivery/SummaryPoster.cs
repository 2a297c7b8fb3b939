using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PerfOtel.Reports.Analysis;
using PerfOtel.Reports.Rendering;
using PerfOtel.Reports.Time;

namespace PerfOtel.Reports.Delivery;

/// <summary>The body of a Slack incoming webhook (also understood by Mattermost, Rocket.Chat and most chat webhooks).</summary>
internal sealed record SlackMessage(string Text);

/// <summary>
/// Posts a short summary of a report (headline KPIs, the first recommendations, the files written) to a webhook as
/// Slack-compatible JSON. The URL of a webhook is a secret: messages name only its scheme and host.
/// </summary>
internal static class SummaryPoster
{
    public const int MaxRecommendations = 3;

    public static string Summary(ReportModel m, IReadOnlyList<string> files)
    {
        var text = new StringBuilder();
        text.Append('*').Append(m.Title.Split(':')[0]).Append("* ").Append(ReportTime.Format(m.Period.From)).Append(" to ").Append(ReportTime.Format(m.Period.To)).Append('\n');
        var parts = new List<string>();
        foreach (var key in m.Kind == ReportKind.Cost ? ["cost_usd"] : new[] { "runs", "success_ratio", "p95_duration", "llm_error_ratio", "cost_usd" })
        {
            if (m.Kpis.FirstOrDefault(k => k.Key == key) is { } k)
            {
                var change = k.ChangeIsAbsolute ? KpiFormat.Points(k.Change) : KpiFormat.Change(k.Change);
                parts.Add($"{k.Name} {KpiFormat.Value(k.Current, k.Unit)} ({change}{(k.Significant ? ", significant" : "")})");
            }
        }

        text.Append(string.Join(" · ", parts)).Append('\n');
        if (m.Kind == ReportKind.Cost && m.Forecasts.FirstOrDefault(f => f.Key == "cost_usd") is { } f)
        {
            text.Append("Next period: ").Append(KpiFormat.Usd(f.Value)).Append(" (95%: ").Append(KpiFormat.Usd(f.Low)).Append(" to ").Append(KpiFormat.Usd(f.High)).Append(")\n");
        }

        var recommendations = m.Recommendations.Take(MaxRecommendations).ToList();
        if (recommendations.Count > 0)
        {
            text.Append("Top recommendations:\n");
            foreach (var r in recommendations)
            {
                text.Append(r.Priority.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(r.Title).Append('\n');
            }
        }
        else
        {
            text.Append("No recommendation: nothing in the data calls for action.\n");
        }

        if (m.Anomalies.Count > 0)
        {
            text.Append("Anomalies: ").Append(m.Anomalies.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var file in files)
        {
            text.Append("Report: ").Append(Path.GetFileName(file)).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    public static async Task PostAsync(HttpClient http, Uri url, string text, CancellationToken cancellationToken)
    {
        var shown = url.GetLeftPart(UriPartial.Authority);
        var json = JsonSerializer.Serialize(new SlackMessage(text), ReportJsonContext.Default.SlackMessage);
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.PostAsync(url, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ReportFailure(ExitCodes.PostFailed, $"posting the summary to {shown} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new ReportFailure(ExitCodes.PostFailed, $"posting the summary to {shown} failed: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReportFailure(ExitCodes.PostFailed, $"posting the summary to {shown} failed: no answer within {http.Timeout.TotalSeconds:0.#} s", e);
        }
    }
}
