namespace PerfOtel.Collector.Alerts;

/// <summary>The Alertmanager webhook payload (version 4), the fields the alert log uses.</summary>
public sealed class AlertmanagerWebhook
{
    public string? Version { get; set; }
    public string? Receiver { get; set; }
    public string? Status { get; set; }
    public List<AlertmanagerAlert>? Alerts { get; set; }
    public Dictionary<string, string>? GroupLabels { get; set; }
    public Dictionary<string, string>? CommonLabels { get; set; }
}

/// <summary>One alert of a notification.</summary>
public sealed class AlertmanagerAlert
{
    public string? Status { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public string? Fingerprint { get; set; }
}
