using System.Text.Json.Serialization;

namespace PerfOtel.DemoFleet.Ingest;

/// <summary>One event of the public ingest API (docs/ARCHITECTURE.md, "Ingest API"); unset fields are not sent.</summary>
public sealed class DemoEvent
{
    public required string Type { get; init; }

    public string? RunId { get; init; }
    public string? Agent { get; init; }
    public string? Team { get; init; }
    public string? Environment { get; init; }
    public string? Outcome { get; init; }
    public string? ErrorCategory { get; init; }
    public string? ErrorType { get; init; }
    public double? DurationSeconds { get; init; }
    public double? EstimatedDurationSeconds { get; init; }
    public int? Blockers { get; init; }
    public long? LinesDelivered { get; init; }
    public int? Retries { get; init; }
    public IReadOnlyList<DemoPhase>? Phases { get; init; }

    public string? Provider { get; init; }
    public string? Model { get; init; }
    public string? ResponseModel { get; init; }
    public string? Operation { get; init; }
    public long? InputTokens { get; init; }
    public long? CachedInputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    public double? TimeToFirstTokenSeconds { get; init; }

    public string? Tool { get; init; }

    public string? Queue { get; init; }
    public long? Depth { get; init; }
    public long? BusyExecutors { get; init; }
    public long? IdleExecutors { get; init; }
}

/// <summary>Time a run spent in one phase.</summary>
public sealed record DemoPhase(string Name, double DurationSeconds);

/// <summary>The body of <c>POST /v1/events</c>.</summary>
public sealed record DemoBatch(IReadOnlyList<DemoEvent> Events);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DemoBatch))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
