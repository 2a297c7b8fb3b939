namespace PerfOtel.Reports.Prometheus;

/// <summary>One element of a query result: its labels and its value (may be NaN, e.g. a quantile of nothing).</summary>
internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The label's value, or "" when the series does not have it (PromQL's view too).</summary>
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}
