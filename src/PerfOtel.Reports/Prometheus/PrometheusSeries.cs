namespace PerfOtel.Reports.Prometheus;

/// <summary>One element of a query result: its labels and its value (may be NaN, e.g. a quantile of nothing).</summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The label's value, or "" when the series does not have it (PromQL's view too).</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}

/// <summary>One sample of a matrix series.</summary>
internal readonly record struct Sample(DateTimeOffset Time, double Value);

/// <summary>One series of a matrix result: its labels and its samples, oldest first.</summary>
internal sealed record PrometheusRangeSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<Sample> Samples)
{
    /// <summary>The label's value, or "" when the series does not have it.</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}
