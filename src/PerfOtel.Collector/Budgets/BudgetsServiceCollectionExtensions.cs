using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PerfOtel.Collector.Budgets;

/// <summary>Registration of budgets.</summary>
public static class BudgetsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the budgets of <c>PerfOtel:Budgets</c> (inline list or <c>File</c>), reloaded on change, and their
    /// gauges on meter <see cref="BudgetMetrics.MeterName"/>, which the meter provider must subscribe to. Loaded at
    /// host start; invalid budgets stop the start.
    /// </summary>
    public static IServiceCollection AddBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.TryAddSingleton(sp => new BudgetSource(configuration, sp.GetRequiredService<ILogger<BudgetSource>>()));
        services.TryAddSingleton(sp => new BudgetMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<BudgetSource>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BudgetStartup>(sp => new BudgetStartup(sp.GetRequiredService<BudgetMetrics>())));
        return services;
    }
}
