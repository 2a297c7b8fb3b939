using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PerfOtel.Collector.Observability;

/// <summary>The collector's own instruments: what it accepted, refused, and which alert notifications it logged.</summary>
public sealed class CollectorMetrics
{
    public const string MeterName = "PerfOtel.Collector";

    private readonly Counter<long> events;
    private readonly Counter<long> rejected;
    private readonly Counter<long> notifications;

    public CollectorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        events = meter.CreateCounter<long>("perfotel.ingest.events", "{event}", "Events accepted by the ingest API.");
        rejected = meter.CreateCounter<long>("perfotel.ingest.rejected_batches", "{batch}", "Batches refused by the ingest API.");
        notifications = meter.CreateCounter<long>("perfotel.alert.notifications", "{notification}", "Alert notifications received from Alertmanager, per alert.");

        // Zero measurements so the series exist before the first event: dashboards and rules see 0, not nothing.
        foreach (var t in Ingest.EventTypes.All)
        {
            events.Add(0, new KeyValuePair<string, object?>("event.type", t));
        }

        foreach (var r in Enum.GetValues<RejectReason>())
        {
            rejected.Add(0, new KeyValuePair<string, object?>("reason", ReasonName(r)));
        }
    }

    public void EventsAccepted(string eventType, long count) =>
        events.Add(count, new KeyValuePair<string, object?>("event.type", eventType));

    public void BatchRejected(RejectReason reason) =>
        rejected.Add(1, new KeyValuePair<string, object?>("reason", ReasonName(reason)));

    public void AlertNotification(string status, string receiver) =>
        notifications.Add(1, new TagList { { "status", status }, { "receiver", receiver } });

    private static string ReasonName(RejectReason r) => r switch
    {
        RejectReason.Unauthorized => "unauthorized",
        RejectReason.Malformed => "malformed",
        RejectReason.Invalid => "invalid",
        RejectReason.TooLarge => "too_large",
        RejectReason.RateLimited => "rate_limited",
        _ => "other",
    };
}
