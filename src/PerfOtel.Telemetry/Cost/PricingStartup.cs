using Microsoft.Extensions.Hosting;

namespace PerfOtel.Telemetry.Cost;

/// <summary>
/// Loads the pricing catalog when the host starts, so that a missing or invalid catalog stops the start with its
/// message instead of failing the first model call that needs a price.
/// </summary>
internal sealed class PricingStartup(PricingCatalogFile catalog, LlmCostRecorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(catalog);
        GC.KeepAlive(recorder);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
