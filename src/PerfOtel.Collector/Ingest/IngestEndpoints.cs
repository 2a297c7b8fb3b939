using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PerfOtel.Collector.Configuration;
using PerfOtel.Collector.Observability;
using PerfOtel.Collector.Security;

namespace PerfOtel.Collector.Ingest;

/// <summary><c>POST /v1/events</c>: a JSON batch of agent events, all or nothing.</summary>
public static class IngestEndpoints
{
    public static RouteGroupBuilder MapIngestEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/events", IngestAsync)
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .WithName("IngestEvents");
        return v1;
    }

    internal static async Task<Results<Accepted<IngestResult>, ProblemHttpResult, ValidationProblem>> IngestAsync(
        HttpContext http,
        IOptions<IngestOptions> options,
        EventValidator validator,
        EventRecorder recorder,
        CollectorMetrics metrics,
        ILogger<EventRecorder> logger)
    {
        var o = options.Value;
        var source = http.Items[ApiKeyEndpointFilter.SourceItem] as string ?? "unknown";
        if (!http.Request.HasJsonContentType())
        {
            return Reject(RejectReason.Malformed, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the batch as Content-Type: application/json.");
        }

        if (http.Request.ContentLength > o.MaxBodyBytes)
        {
            return Reject(RejectReason.TooLarge, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {o.MaxBodyBytes} bytes per request.");
        }

        var sizeLimit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = o.MaxBodyBytes;
        }

        EventBatch? batch;
        try
        {
            await using var body = new BoundedReadStream(http.Request.Body, o.MaxBodyBytes);
            batch = await JsonSerializer.DeserializeAsync(body, IngestJsonContext.Default.EventBatch, http.RequestAborted);
        }
        catch (Exception e) when (e is BodyTooLargeException || e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return Reject(RejectReason.TooLarge, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"At most {o.MaxBodyBytes} bytes per request.");
        }
        catch (JsonException e)
        {
            // The message names the JSON path and position; it carries no server internals.
            return Reject(RejectReason.Malformed, StatusCodes.Status400BadRequest, "Malformed JSON", e.Message);
        }

        var validated = validator.Validate(batch, out var problems);
        if (validated is null)
        {
            metrics.BatchRejected(RejectReason.Invalid);
            Log.BatchRejected(logger, source, "invalid events");
            return TypedResults.ValidationProblem(
                problems,
                title: "Invalid events",
                detail: "The batch was not recorded: fix the events named in 'errors' and send it again.");
        }

        recorder.Record(validated);
        return TypedResults.Accepted((string?)null, new IngestResult(validated.Count));

        ProblemHttpResult Reject(RejectReason reason, int status, string title, string detail)
        {
            metrics.BatchRejected(reason);
            Log.BatchRejected(logger, source, title);
            return TypedResults.Problem(statusCode: status, title: title, detail: detail);
        }
    }
}
