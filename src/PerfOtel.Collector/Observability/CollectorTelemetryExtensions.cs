using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PerfOtel.Telemetry;

namespace PerfOtel.Collector.Observability;

/// <summary>OpenTelemetry metrics of the collector: agent instruments, its own, process/runtime/HTTP, Prometheus exporter.</summary>
public static class CollectorTelemetryExtensions
{
    public static IServiceCollection AddCollectorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // A stable instance id: without it service_instance_id (target_info) changes on every restart.
        var instanceId = configuration["PerfOtel:InstanceId"] ?? Environment.MachineName;
        services.AddPerfOtelTelemetry();
        services.AddSingleton<CollectorMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("perfotel-collector", serviceInstanceId: instanceId))
            .WithMetrics(m => m
                .AddPerfOtelInstrumentation()
                .AddMeter(CollectorMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }
}
