using System.Text.Json.Serialization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>The envelope of every <c>/api/v1</c> answer (success and error alike).</summary>
internal sealed record PrometheusResponse(
    string? Status,
    PrometheusQueryData? Data,
    string? ErrorType,
    string? Error,
    IReadOnlyList<string>? Warnings);

/// <summary>
/// <c>data</c> of a query: a <c>vector</c> (instant query) or a <c>matrix</c> (range query, or an instant query of a
/// range selector). The reports never ask for scalars or strings.
/// </summary>
internal sealed record PrometheusQueryData(
    string? ResultType,
    IReadOnlyList<PrometheusResultElement>? Result);

/// <summary>
/// One series of a result: <c>{"metric": {...}, "value": [t, "v"]}</c> in a vector,
/// <c>{"metric": {...}, "values": [[t, "v"], ...]}</c> in a matrix.
/// </summary>
internal sealed record PrometheusResultElement(
    IReadOnlyDictionary<string, string>? Metric,
    [property: JsonConverter(typeof(PrometheusSampleValueConverter))] PrometheusSampleValue? Value,
    [property: JsonConverter(typeof(PrometheusSampleListConverter))] IReadOnlyList<PrometheusSampleValue>? Values);
