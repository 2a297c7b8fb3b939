namespace PerfOtel.Collector.Ingest;

/// <summary>The body of <c>POST /v1/events</c>.</summary>
public sealed class EventBatch
{
    public List<IngestEvent?>? Events { get; set; }
}

/// <summary>
/// One event as sent over HTTP. A flat shape with a <c>type</c> discriminator: fast to parse, and validation can
/// name every missing or wrong field instead of failing on the first. Which fields apply depends on the type
/// (docs/ARCHITECTURE.md, "Ingest API").
/// </summary>
public sealed class IngestEvent
{
    public string? Type { get; set; }

    // Shared by several types
    public string? Agent { get; set; }
    public string? Team { get; set; }
    public double? DurationSeconds { get; set; }
    public string? Outcome { get; set; }
    public string? ErrorType { get; set; }

    // run
    public string? RunId { get; set; }
    public string? Environment { get; set; }
    public string? ErrorCategory { get; set; }
    public double? EstimatedDurationSeconds { get; set; }
    public int? Blockers { get; set; }
    public long? LinesDelivered { get; set; }
    public int? Retries { get; set; }
    public List<PhaseEvent?>? Phases { get; set; }

    // llm_call
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public string? ResponseModel { get; set; }
    public string? Operation { get; set; }
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CachedInputTokens { get; set; }
    public long? ReasoningTokens { get; set; }
    public double? TimeToFirstTokenSeconds { get; set; }

    // tool_call
    public string? Tool { get; set; }

    // queue_snapshot
    public string? Queue { get; set; }
    public long? Depth { get; set; }
    public long? BusyExecutors { get; set; }
    public long? IdleExecutors { get; set; }

    // metric (custom, declared in configuration)
    public string? Name { get; set; }
    public double? Value { get; set; }
    public Dictionary<string, string?>? Labels { get; set; }
}

/// <summary>Time a run spent in one named phase.</summary>
public sealed class PhaseEvent
{
    public string? Name { get; set; }
    public double? DurationSeconds { get; set; }
}

/// <summary>The answer to an accepted batch.</summary>
public sealed record IngestResult(int Accepted);

/// <summary>Event type names of the v1 API.</summary>
public static class EventTypes
{
    public const string Run = "run";
    public const string LlmCall = "llm_call";
    public const string ToolCall = "tool_call";
    public const string QueueSnapshot = "queue_snapshot";
    public const string Metric = "metric";

    public static readonly string[] All = [Run, LlmCall, ToolCall, QueueSnapshot, Metric];
}
