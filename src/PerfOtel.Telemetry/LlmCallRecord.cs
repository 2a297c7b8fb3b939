namespace PerfOtel.Telemetry;

/// <summary>One model call, in the vocabulary of the OTel GenAI semantic conventions.</summary>
/// <param name="Provider"><c>gen_ai.provider.name</c>, e.g. <c>openai</c>.</param>
/// <param name="Model"><c>gen_ai.request.model</c>.</param>
/// <param name="Operation"><c>gen_ai.operation.name</c>, e.g. <c>chat</c>.</param>
/// <param name="Agent">The agent the call served (<c>gen_ai.agent.name</c>).</param>
/// <param name="InputTokens">All input tokens, cached ones included (as providers report them).</param>
/// <param name="OutputTokens">All output tokens, reasoning ones included.</param>
/// <param name="DurationSeconds">Client-side duration of the call.</param>
/// <param name="ErrorType"><c>error.type</c> when the call failed; null on success.</param>
public readonly record struct LlmCallRecord(
    string Provider,
    string Model,
    string Operation,
    string Agent,
    long InputTokens,
    long OutputTokens,
    double DurationSeconds,
    string? ErrorType = null)
{
    /// <summary>Team or project the call was made for (<c>agent.team</c>).</summary>
    public string? Team { get; init; }

    /// <summary><c>gen_ai.response.model</c>, when the provider answered with a different model name.</summary>
    public string? ResponseModel { get; init; }

    /// <summary>Input tokens served from the provider's prompt cache (a part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Reasoning tokens (a part of <see cref="OutputTokens"/>).</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Time to the first streamed chunk, for streaming calls.</summary>
    public double? TimeToFirstTokenSeconds { get; init; }
}
