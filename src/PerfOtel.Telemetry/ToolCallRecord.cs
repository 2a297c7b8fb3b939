namespace PerfOtel.Telemetry;

/// <summary>One tool call made by an agent.</summary>
/// <param name="Tool"><c>gen_ai.tool.name</c>.</param>
/// <param name="Agent">The calling agent (<c>gen_ai.agent.name</c>).</param>
/// <param name="DurationSeconds">Duration of the call.</param>
/// <param name="ErrorType"><c>error.type</c> when the call failed; null on success.</param>
public readonly record struct ToolCallRecord(string Tool, string Agent, double DurationSeconds, string? ErrorType = null)
{
    /// <summary>Team or project (<c>agent.team</c>).</summary>
    public string? Team { get; init; }
}
