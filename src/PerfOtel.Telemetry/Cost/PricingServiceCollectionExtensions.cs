using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PerfOtel.Telemetry.Cost;

/// <summary>Registration of model pricing.</summary>
public static class PricingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pricing catalog of <paramref name="catalogPath"/> (reloaded when the file changes) and
    /// <see cref="LlmCostRecorder"/>. Under a host the catalog is loaded at start, and a missing or invalid file stops
    /// the start. The instruments belong to the agent meter (<see cref="AgentSemanticConventions.MeterName"/>).
    /// A <see cref="TimeProvider"/> in the container, if any, is the clock that selects the price in force.
    /// </summary>
    public static IServiceCollection AddPerfOtelPricing(this IServiceCollection services, string catalogPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogPath);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(sp => new PricingCatalogFile(
            catalogPath,
            sp.GetRequiredService<ILogger<PricingCatalogFile>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new LlmCostRecorder(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<PricingCatalogFile>(),
            sp.GetRequiredService<ILogger<LlmCostRecorder>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PricingStartup>(sp => new PricingStartup(
            sp.GetRequiredService<PricingCatalogFile>(),
            sp.GetRequiredService<LlmCostRecorder>())));
        return services;
    }
}
