using System.Text.Json;

namespace PerfOtel.Stack.Tests.Fixture;

/// <summary>Reading what Alertmanager sent: its webhook payload and Slack's payload shape.</summary>
public static class NotificationPayloads
{
    /// <summary>The alerts of a webhook payload with the given status whose labels include all the given ones.</summary>
    public static IEnumerable<JsonElement> Alerts(JsonElement body, string status, params (string Name, string Value)[] labels) =>
        body.TryGetProperty("alerts", out var alerts)
            ? alerts.EnumerateArray().Where(a => a.GetProperty("status").GetString() == status && labels.All(l =>
                a.GetProperty("labels").TryGetProperty(l.Name, out var v) && v.GetString() == l.Value)).ToList()
            : [];

    public static bool HasAlert(JsonElement body, string status, params (string Name, string Value)[] labels) =>
        Alerts(body, status, labels).Any();

    public static string Label(JsonElement alert, string name) =>
        alert.GetProperty("labels").TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    public static string SlackTitle(JsonElement body) => SlackField(body, "title");

    public static string SlackText(JsonElement body) => SlackField(body, "text");

    public static string SlackColor(JsonElement body) => SlackField(body, "color");

    private static string SlackField(JsonElement body, string field) =>
        body.TryGetProperty("attachments", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0
        && a[0].TryGetProperty(field, out var t) ? t.GetString() ?? "" : "";
}
