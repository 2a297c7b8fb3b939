using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.Security;

namespace PerfOtel.Collector.Ingest;

/// <summary>
/// <c>POST /v1/discard</c>: authenticates like <c>/v1/events</c>, reads the whole body and throws it away (202). The
/// load test's ceiling: the same server, connection handling and API-key filter without parsing or recording, so
/// "events/s on /v1/events" can be read as a share of what the HTTP path alone allows. Mapped only when
/// <c>PerfOtel:Bench:EnableDiscardEndpoint</c> is true (never in production: it accepts work it does not do).
/// </summary>
public static class DiscardEndpoint
{
    public const string EnableSetting = "PerfOtel:Bench:EnableDiscardEndpoint";

    public static RouteGroupBuilder MapDiscardEndpoint(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var configuration = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<IConfiguration>();
        if (configuration.GetValue<bool>(EnableSetting))
        {
            v1.MapPost("/discard", DiscardAsync)
                .AddEndpointFilter<ApiKeyEndpointFilter>()
                .WithName("DiscardEvents")
                .ExcludeFromDescription();
        }

        return v1;
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> DiscardAsync(HttpContext http, IOptions<IngestOptions> options)
    {
        // The same body limit as ingest, so an oversized batch costs the ceiling what it costs /v1/events.
        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = options.Value.MaxBodyBytes;
        }

        var body = http.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(http.RequestAborted);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: e.StatusCode, title: "Request body too large");
        }

        return TypedResults.Accepted((string?)null);
    }
}
