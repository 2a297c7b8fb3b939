using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using PerfOtel.Collector.Observability;
using PerfOtel.Telemetry;

namespace PerfOtel.Benchmarks;

/// <summary>
/// The OTel SDK wired as in the collector (<c>AddPerfOtelTelemetry</c> + <c>AddOpenTelemetry().WithMetrics(...
/// AddPerfOtelInstrumentation())</c>, cumulative aggregation), with a pull reader that exports only when asked instead
/// of the Prometheus exporter: recording costs the same, and nothing runs in the background during a measurement.
/// </summary>
public sealed class OtelHarness : IDisposable
{
    /// <summary>Meter of the "raw OTel" baseline instruments, listened to by the same provider.</summary>
    public const string RawMeterName = "PerfOtel.Benchmarks.Raw";

    private readonly ServiceProvider services;
    private readonly BaseExportingMetricReader reader;
    private readonly CountingExporter exporter = new();

    public OtelHarness()
    {
        reader = new BaseExportingMetricReader(exporter);
        var collection = new ServiceCollection();
        collection.AddPerfOtelTelemetry();
        collection.AddSingleton<CollectorMetrics>();
        collection.AddOpenTelemetry().WithMetrics(m => m
            .AddPerfOtelInstrumentation()
            .AddMeter(CollectorMetrics.MeterName)
            .AddMeter(RawMeterName)
            .AddReader(reader));
        services = collection.BuildServiceProvider();

        // Without a host nothing starts the provider: resolving it is what subscribes the listener.
        _ = services.GetRequiredService<MeterProvider>();
        Agents = services.GetRequiredService<AgentMetrics>();
        Collector = services.GetRequiredService<CollectorMetrics>();
        MeterFactory = services.GetRequiredService<IMeterFactory>();
    }

    public AgentMetrics Agents { get; }

    public CollectorMetrics Collector { get; }

    public IMeterFactory MeterFactory { get; }

    /// <summary>Collects once and returns the number of metric points per metric name.</summary>
    public IReadOnlyDictionary<string, int> CollectPoints()
    {
        exporter.Points.Clear();
        if (!reader.Collect())
        {
            throw new InvalidOperationException("metric collection failed");
        }

        return new Dictionary<string, int>(exporter.Points);
    }

    /// <summary>
    /// Fails unless every named instrument has aggregated points: a benchmark of instruments nobody listens to would
    /// measure a no-op.
    /// </summary>
    public void AssertListening(params string[] metricNames)
    {
        var points = CollectPoints();
        foreach (var name in metricNames)
        {
            if (!points.TryGetValue(name, out var n) || n == 0)
            {
                throw new InvalidOperationException($"no aggregated points for {name}: the meter provider is not listening (have: {string.Join(", ", points.Keys)})");
            }
        }
    }

    public void Dispose()
    {
        services.Dispose();
        reader.Dispose();
        exporter.Dispose();
    }

    private sealed class CountingExporter : BaseExporter<Metric>
    {
        public Dictionary<string, int> Points { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                var n = 0;
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    n++;
                }

                Points[metric.Name] = Points.GetValueOrDefault(metric.Name) + n;
            }

            return ExportResult.Success;
        }
    }
}
