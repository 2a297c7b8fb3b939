namespace PerfOtel.Telemetry;

/// <summary>
/// Instrument and attribute names. <c>gen_ai.*</c> and <c>error.type</c> come from the OpenTelemetry GenAI semantic
/// conventions; <c>agent.*</c> names are PerfOtel's own, for what the conventions do not cover.
/// </summary>
public static class AgentSemanticConventions
{
    /// <summary>Meter that owns every agent instrument (the <c>otel_scope_name</c> label in Prometheus).</summary>
    public const string MeterName = "PerfOtel.Agents";

    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";
    public const string ToolDuration = "gen_ai.execute_tool.duration";
    public const string RunDuration = "agent.run.duration";
    public const string RunPhaseDuration = "agent.run.phase.duration";
    public const string RunEstimatedDuration = "agent.run.estimate.duration";
    public const string RunEstimatedActualDuration = "agent.run.estimate.actual_duration";
    public const string RunBlockers = "agent.run.blockers";
    public const string RunLinesDelivered = "agent.run.lines_delivered";
    public const string RunRetries = "agent.run.retries";
    public const string QueueDepth = "agent.queue.depth";
    public const string QueueExecutors = "agent.queue.executors";
    public const string QueueSnapshotTimestamp = "agent.queue.snapshot.timestamp";

    public const string AttrOperationName = "gen_ai.operation.name";
    public const string AttrProviderName = "gen_ai.provider.name";
    public const string AttrRequestModel = "gen_ai.request.model";
    public const string AttrTokenType = "gen_ai.token.type";
    public const string AttrAgentName = "gen_ai.agent.name";
    public const string AttrErrorType = "error.type";
    public const string AttrResponseModel = "gen_ai.response.model";
    public const string AttrToolName = "gen_ai.tool.name";
    public const string AttrRunOutcome = "agent.run.outcome";
    public const string AttrRunPhase = "agent.run.phase";
    public const string AttrTeam = "agent.team";
    public const string AttrEnvironment = "deployment.environment.name";
    public const string AttrQueueName = "agent.queue.name";
    public const string AttrExecutorState = "agent.executor.state";

    public const string TokenTypeInput = "input";
    public const string TokenTypeOutput = "output";
    public const string TokenTypeCachedInput = "cached_input";
    public const string TokenTypeReasoning = "reasoning";
}
