using System.Text.Json.Serialization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>Source-generated (reflection-free) JSON for the Prometheus HTTP API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PrometheusResponse))]
internal sealed partial class PrometheusJsonContext : JsonSerializerContext;
