namespace PerfOtel.Telemetry;

/// <summary>One finished agent run.</summary>
/// <param name="Agent">Agent name (<c>gen_ai.agent.name</c>).</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="DurationSeconds">Wall-clock duration of the run.</param>
/// <param name="ErrorCategory">Why a run did not succeed (<c>error.type</c>), if known.</param>
public readonly record struct RunRecord(string Agent, RunOutcome Outcome, double DurationSeconds, string? ErrorCategory = null)
{
    /// <summary>Team or project that owns the agent (<c>agent.team</c>).</summary>
    public string? Team { get; init; }

    /// <summary>Deployment environment (<c>deployment.environment.name</c>), e.g. <c>prod</c>.</summary>
    public string? Environment { get; init; }

    /// <summary>The duration estimated before the run; speedup = estimate / actual.</summary>
    public double? EstimatedDurationSeconds { get; init; }

    /// <summary>Blockers the run hit.</summary>
    public int Blockers { get; init; }

    /// <summary>Lines of code (or content) the run delivered.</summary>
    public long LinesDelivered { get; init; }

    /// <summary>Retries or rework loops within the run.</summary>
    public int Retries { get; init; }

    /// <summary>Time per named phase (plan, execute, review, ...).</summary>
    public IReadOnlyList<PhaseTiming>? Phases { get; init; }
}

/// <summary>Time one run spent in a named phase.</summary>
public readonly record struct PhaseTiming(string Name, double DurationSeconds);
