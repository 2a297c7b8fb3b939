namespace PerfOtel.Telemetry;

/// <summary>One finished agent run.</summary>
/// <param name="Agent">Agent name (<c>gen_ai.agent.name</c>).</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="DurationSeconds">Wall-clock duration of the run.</param>
/// <param name="ErrorCategory">Why a run did not succeed (<c>error.type</c>), if known.</param>
public readonly record struct RunRecord(string Agent, RunOutcome Outcome, double DurationSeconds, string? ErrorCategory = null);
