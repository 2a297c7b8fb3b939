namespace PerfOtel.Telemetry;

/// <summary>How an agent run ended; the value of the <c>agent.run.outcome</c> attribute.</summary>
public enum RunOutcome
{
    Success,
    Failure,
    Blocked,
    Cancelled,
}

public static class RunOutcomeNames
{
    /// <summary>The attribute value of an outcome (cached strings: no allocation per measurement).</summary>
    public static string ToAttribute(this RunOutcome outcome) => outcome switch
    {
        RunOutcome.Success => "success",
        RunOutcome.Failure => "failure",
        RunOutcome.Blocked => "blocked",
        RunOutcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown run outcome"),
    };

    /// <summary>Parses an attribute value (case-insensitive).</summary>
    public static bool TryParse(string? value, out RunOutcome outcome)
    {
        switch (value?.ToLowerInvariant())
        {
            case "success": outcome = RunOutcome.Success; return true;
            case "failure": outcome = RunOutcome.Failure; return true;
            case "blocked": outcome = RunOutcome.Blocked; return true;
            case "cancelled": outcome = RunOutcome.Cancelled; return true;
            default: outcome = default; return false;
        }
    }
}
