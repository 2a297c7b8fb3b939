using Microsoft.Extensions.Diagnostics.HealthChecks;
using PerfOtel.Collector.Security;

namespace PerfOtel.Collector.Health;

/// <summary>Ready when ingest can accept anything, i.e. at least one API key is loaded.</summary>
public sealed class IngestReadyCheck(ApiKeyStore keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.HasKeys
            ? HealthCheckResult.Healthy("ingest open")
            : HealthCheckResult.Unhealthy("no API key configured: ingest answers 401"));
}
