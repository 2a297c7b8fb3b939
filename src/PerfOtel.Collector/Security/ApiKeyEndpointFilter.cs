using PerfOtel.Collector.Observability;

namespace PerfOtel.Collector.Security;

/// <summary>Requires <c>Authorization: Bearer KEY</c> with a configured key; answers 401 ProblemDetails otherwise.</summary>
public sealed class ApiKeyEndpointFilter(ApiKeyStore keys, CollectorMetrics metrics) : IEndpointFilter
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

        http.Items[SourceItem] = source;
        return await next(context);
    }
}
