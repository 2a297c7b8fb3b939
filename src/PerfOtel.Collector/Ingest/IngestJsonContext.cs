using System.Text.Json.Serialization;
using PerfOtel.Collector.Alerts;

namespace PerfOtel.Collector.Ingest;

/// <summary>Source-generated JSON for the ingest and alert webhook APIs (snake_case, numbers strict).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(AlertmanagerWebhook))]
[JsonSerializable(typeof(AlertHistoryEntry))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
