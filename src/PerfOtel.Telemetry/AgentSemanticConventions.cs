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
    public const string RunDuration = "agent.run.duration";

    public const string AttrOperationName = "gen_ai.operation.name";
    public const string AttrProviderName = "gen_ai.provider.name";
    public const string AttrRequestModel = "gen_ai.request.model";
    public const string AttrTokenType = "gen_ai.token.type";
    public const string AttrAgentName = "gen_ai.agent.name";
    public const string AttrErrorType = "error.type";
    public const string AttrRunOutcome = "agent.run.outcome";

    public const string TokenTypeInput = "input";
    public const string TokenTypeOutput = "output";
}
