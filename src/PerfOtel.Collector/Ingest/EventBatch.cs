namespace PerfOtel.Collector.Ingest;

/// <summary>The body of <c>POST /v1/events</c>.</summary>
public sealed class EventBatch
{
    public List<IngestEvent?>? Events { get; set; }
}

/// <summary>
/// One event as sent over HTTP. A flat shape with a <c>type</c> discriminator: fast to parse, and validation can
/// name every missing or wrong field instead of failing on the first.
/// </summary>
public sealed class IngestEvent
{
    public string? Type { get; set; }

    // Run
    public string? RunId { get; set; }
    public string? Agent { get; set; }
    public string? Outcome { get; set; }
    public string? ErrorCategory { get; set; }
    public double? DurationSeconds { get; set; }

    // LLM call
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public string? Operation { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public string? ErrorType { get; set; }
}

/// <summary>The answer to an accepted batch.</summary>
public sealed record IngestResult(int Accepted);

/// <summary>Event type names of the v1 API.</summary>
public static class EventTypes
{
    public const string Run = "run";
    public const string LlmCall = "llm_call";
}
