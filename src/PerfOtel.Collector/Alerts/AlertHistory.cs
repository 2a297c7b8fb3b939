using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Ingest;

namespace PerfOtel.Collector.Alerts;

/// <summary>Settings of the alert log (section <c>PerfOtel:Alerts</c>).</summary>
public sealed class AlertHistoryOptions
{
    public const string Section = "PerfOtel:Alerts";

    /// <summary>JSON-lines file every notification is appended to; unset disables the file (counting stays).</summary>
    public string? HistoryFile { get; set; }
}

/// <summary>One line of the alert history: one alert of one notification.</summary>
public sealed record AlertHistoryEntry(
    DateTimeOffset ReceivedAt,
    string Receiver,
    string Status,
    string? Alertname,
    string? Severity,
    string? Fingerprint,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations);

/// <summary>
/// Appends notifications to the JSON-lines history. Appends are serialized and flushed per notification, so a
/// crash loses at most the notification being written and never interleaves two.
/// </summary>
public sealed class AlertHistory(IOptions<AlertHistoryOptions> options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly string? path = options.Value.HistoryFile;

    public bool Enabled => path is not null;

    public async Task AppendAsync(string receiver, IReadOnlyList<AlertmanagerAlert> alerts, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var text = new StringBuilder();
        foreach (var a in alerts)
        {
            var labels = a.Labels ?? [];
            var entry = new AlertHistoryEntry(now, receiver, a.Status ?? "unknown", labels.GetValueOrDefault("alertname"), labels.GetValueOrDefault("severity"),
                a.Fingerprint, a.StartsAt, a.EndsAt, labels, a.Annotations ?? []);
            text.Append(JsonSerializer.Serialize(entry, IngestJsonContext.Default.AlertHistoryEntry)).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using var f = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await f.WriteAsync(bytes, cancellationToken);
            await f.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
