using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace PerfOtel.Telemetry;

/// <summary>Registration in the usual places: the service collection and the OTel meter provider builder.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Registers <see cref="AgentMetrics"/> as a singleton (and the meter factory it needs).</summary>
    public static IServiceCollection AddPerfOtelTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<AgentMetrics>();
        return services;
    }

    /// <summary>Subscribes the meter provider to PerfOtel's agent instruments.</summary>
    public static MeterProviderBuilder AddPerfOtelInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(AgentSemanticConventions.MeterName);
    }
}
