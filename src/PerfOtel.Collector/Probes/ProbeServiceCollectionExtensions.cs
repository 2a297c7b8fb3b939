using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PerfOtel.Collector.Probes;

/// <summary>Registration of the component health probes (section <c>PerfOtel:Probes</c>).</summary>
public static class ProbeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the probe options (validated at start), <see cref="ProbeMetrics"/>, the probes' HTTP client and the
    /// <see cref="ProbeWorker"/>. Does nothing when no component is configured. The meter
    /// <see cref="ProbeMetrics.MeterName"/> still has to be added to the meter provider.
    /// </summary>
    public static IServiceCollection AddComponentProbes(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ProbeOptions.Section);
        if (!section.GetSection(nameof(ProbeOptions.Components)).GetChildren().Any())
        {
            return services;
        }

        services.AddOptions<ProbeOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProbeOptions>, ProbeOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<ProbeMetrics>();
        services.AddHttpClient(HttpProbe.ClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<ProbeOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PerfOtel-Probe", "1"));
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A redirect is an answer: following it would probe another component than the configured one.
                AllowAutoRedirect = false,
                ConnectTimeout = sp.GetRequiredService<IOptions<ProbeOptions>>().Value.Timeout,
            })
            // The factory's handlers log every request; probes log state changes only.
            .RemoveAllLoggers();
        services.AddHostedService<ProbeWorker>();
        return services;
    }
}
