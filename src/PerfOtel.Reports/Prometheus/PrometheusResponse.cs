using System.Text.Json.Serialization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>The envelope of every <c>/api/v1</c> answer (success and error alike).</summary>
internal sealed record PrometheusResponse(
    string? Status,
    PrometheusQueryData? Data,
    string? ErrorType,
    string? Error,
    IReadOnlyList<string>? Warnings);

/// <summary><c>data</c> of an instant query. Only <c>vector</c> results are read; the reports never ask for others.</summary>
internal sealed record PrometheusQueryData(
    string? ResultType,
    IReadOnlyList<PrometheusVectorElement>? Result);

/// <summary>One series of an instant vector: <c>{"metric": {...}, "value": [1700000000.123, "42"]}</c>.</summary>
internal sealed record PrometheusVectorElement(
    IReadOnlyDictionary<string, string>? Metric,
    [property: JsonConverter(typeof(PrometheusSampleValueConverter))] PrometheusSampleValue? Value);
