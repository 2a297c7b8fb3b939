using PerfOtel.Collector.Observability;

namespace PerfOtel.Collector.Security;

/// <summary>
/// Requires <c>Authorization: Bearer KEY</c> with a configured key (401 otherwise), then a permit of that key's
/// rate limit (429 with Retry-After otherwise); both answers are ProblemDetails.
/// </summary>
public sealed class ApiKeyEndpointFilter(ApiKeyStore keys, IngestRateLimiter rateLimiter, CollectorMetrics metrics) : IEndpointFilter
{
    public const string SourceItem = "perfotel.source";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString().AsSpan();
        const string scheme = "Bearer ";
        var source = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? keys.Authenticate(header[scheme.Length..].Trim())
            : null;
        if (source is null)
        {
            metrics.BatchRejected(RejectReason.Unauthorized);
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"perfotel\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or invalid API key",
                detail: keys.HasKeys
                    ? "Send a configured key as 'Authorization: Bearer <key>'."
                    : "No API key is configured on this collector; ingest is closed until one is (PerfOtel:Ingest:ApiKeys).");
        }

        if (!rateLimiter.TryAcquire(source, out var retryAfter))
        {
            metrics.BatchRejected(RejectReason.RateLimited);
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Rate limit exceeded",
                detail: $"Too many requests for API key source '{source}'; retry after {seconds} s.");
        }

        http.Items[SourceItem] = source;
        return await next(context);
    }
}
