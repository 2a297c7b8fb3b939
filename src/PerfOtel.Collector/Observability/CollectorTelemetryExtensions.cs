using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PerfOtel.Collector.Budgets;
using PerfOtel.Collector.CustomMetrics;
using PerfOtel.Collector.Probes;
using PerfOtel.Telemetry;
using PerfOtel.Telemetry.Cost;

namespace PerfOtel.Collector.Observability;

/// <summary>OpenTelemetry metrics of the collector: agent instruments, its own, process/runtime/HTTP, Prometheus exporter.</summary>
public static class CollectorTelemetryExtensions
{
    public static IServiceCollection AddCollectorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // A stable instance id: without it service_instance_id (target_info) changes on every restart.
        var instanceId = configuration["PerfOtel:InstanceId"] ?? Environment.MachineName;
        var cardinalityLimit = configuration.GetValue("PerfOtel:MaxSeriesPerMetric", 20_000);
        services.AddPerfOtelTelemetry();
        services.AddPerfOtelPricing(configuration["PerfOtel:Pricing:CatalogFile"] ?? Path.Combine(AppContext.BaseDirectory, "pricing", "catalog.json"));
        services.AddBudgets(configuration);
        services.AddSingleton<CollectorMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("perfotel-collector", serviceInstanceId: instanceId))
            .WithMetrics(m => m
                .AddPerfOtelInstrumentation()
                .AddMeter(CollectorMetrics.MeterName, CustomMetricRegistry.MeterName, ProbeMetrics.MeterName, Thresholds.ThresholdSource.MeterName, BudgetMetrics.MeterName)
                // Second line of defence behind LabelCardinalityGuard: the SDK's own per-metric cap, whose
                // overflow goes to a series labelled otel_metric_overflow="true".
                .AddView(i => i.Meter.Name is AgentSemanticConventions.MeterName or CustomMetricRegistry.MeterName
                    ? new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit }
                    : null)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }
}
