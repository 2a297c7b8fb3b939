using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace PerfOtel.Collector.CustomMetrics;

/// <summary>A validated measurement of a declared custom metric.</summary>
public readonly record struct CustomMeasurement(CustomMetric Metric, double Value, KeyValuePair<string, object?>[] Tags);

/// <summary>A declared custom metric and its instrument.</summary>
public sealed class CustomMetric(CustomMetricDefinition definition, Action<double, KeyValuePair<string, object?>[]> record)
{
    public CustomMetricDefinition Definition { get; } = definition;

    public FrozenSet<string> AllowedLabels { get; } = definition.Labels.ToFrozenSet(StringComparer.Ordinal);

    public bool IsCounter => Definition.Kind == "counter";

    public void Record(double value, KeyValuePair<string, object?>[] tags) => record(value, tags);
}

/// <summary>The instruments of the declared custom metrics (meter <c>PerfOtel.Custom</c>), created at start-up.</summary>
public sealed class CustomMetricRegistry
{
    public const string MeterName = "PerfOtel.Custom";

    private readonly FrozenDictionary<string, CustomMetric> metrics;

    public CustomMetricRegistry(IMeterFactory meterFactory, IOptions<CustomMetricsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        var meter = meterFactory.Create(MeterName);
        metrics = options.Value.Metrics.ToFrozenDictionary(d => d.Name, d => Create(meter, d), StringComparer.Ordinal);
    }

    public bool TryGet(string name, out CustomMetric metric) => metrics.TryGetValue(name, out metric!);

    public IEnumerable<string> Names => metrics.Keys;

    private static CustomMetric Create(Meter meter, CustomMetricDefinition d)
    {
        switch (d.Kind)
        {
            case "counter":
                var counter = meter.CreateCounter<double>(d.Name, d.Unit, d.Description);
                return new CustomMetric(d, (v, t) => counter.Add(v, t));
            case "gauge":
                var gauge = meter.CreateGauge<double>(d.Name, d.Unit, d.Description);
                return new CustomMetric(d, (v, t) => gauge.Record(v, t));
            default:
                var histogram = meter.CreateHistogram(d.Name, d.Unit, d.Description, tags: null,
                    advice: d.Buckets is null ? null : new InstrumentAdvice<double> { HistogramBucketBoundaries = d.Buckets });
                return new CustomMetric(d, (v, t) => histogram.Record(v, t));
        }
    }
}
