using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PerfOtel.Collector.Ingest;
using PerfOtel.Collector.Observability;
using PerfOtel.Collector.Security;

namespace PerfOtel.Collector.Alerts;

/// <summary>
/// <c>POST /v1/alerts</c>: Alertmanager's webhook receiver, the alert log. Every notification is logged, counted
/// per alert and status (fired/resolved counts are themselves metrics) and appended to the JSON-lines history.
/// </summary>
public static class AlertWebhookEndpoints
{
    private static readonly string[] Statuses = ["firing", "resolved"];

    public static RouteGroupBuilder MapAlertWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/alerts", ReceiveAsync)
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .WithName("AlertmanagerWebhook");
        return v1;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(HttpContext http, CollectorMetrics metrics, AlertHistory history, ILogger<AlertmanagerWebhook> logger)
    {
        AlertmanagerWebhook? payload;
        try
        {
            payload = await JsonSerializer.DeserializeAsync(http.Request.Body, IngestJsonContext.Default.AlertmanagerWebhook, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: e.Message);
        }

        if (payload?.Alerts is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an Alertmanager notification", detail: "'alerts' is required.");
        }

        // The receiver name comes from our own Alertmanager config, but it still reaches a label: keep it bounded.
        var receiver = Bounded(payload.Receiver);
        foreach (var alert in payload.Alerts)
        {
            var status = Array.Find(Statuses, s => s == alert.Status) ?? "unknown";
            metrics.AlertNotification(status, receiver);
            var labels = alert.Labels ?? [];
            Log.AlertNotification(logger, status, labels.GetValueOrDefault("alertname", "?"), labels.GetValueOrDefault("severity", "?"), receiver);
        }

        await history.AppendAsync(receiver, payload.Alerts, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static string Bounded(string? s) =>
        string.IsNullOrEmpty(s) ? "unknown" : s.Length <= 64 ? s : s[..64];
}
