namespace PerfOtel.Telemetry;

/// <summary>One model call, in the vocabulary of the OTel GenAI semantic conventions.</summary>
/// <param name="Provider"><c>gen_ai.provider.name</c>, e.g. <c>openai</c>.</param>
/// <param name="Model"><c>gen_ai.request.model</c>.</param>
/// <param name="Operation"><c>gen_ai.operation.name</c>, e.g. <c>chat</c>.</param>
/// <param name="Agent">The agent the call served (<c>gen_ai.agent.name</c>).</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
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
    string? ErrorType = null);
