using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;

namespace PerfOtel.Collector.Security;

/// <summary>A token bucket per API key source (System.Threading.RateLimiting): one noisy client cannot starve the rest.</summary>
public sealed class IngestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? limiter;

    public IngestRateLimiter(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value.RateLimit;
        if (o.RequestsPerSecond > 0)
        {
            limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(o.Burst, 1),
                TokensPerPeriod = o.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>Takes a permit for the source; when refused, how long the caller should wait.</summary>
    public bool TryAcquire(string source, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(source);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return false;
    }

    public void Dispose() => limiter?.Dispose();
}
