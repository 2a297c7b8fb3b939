namespace PerfOtel.DemoFleet.Incidents;

/// <summary>The incidents the fleet can play, each aimed at one alert or dashboard panel.</summary>
public enum IncidentKind
{
    /// <summary>One model fails a third of its calls (rate limits, overload, timeouts); runs that use it fail more.</summary>
    ErrorSpike,

    /// <summary>One team's <c>execute</c> phase takes four times as long: runs are slower than estimated.</summary>
    SlowPhase,

    /// <summary>One agent moves to a dearer model with long contexts and more calls per run.</summary>
    CostSpike,

    /// <summary>One of the fleet's components answers 503 on its health endpoint; tool calls behind it fail.</summary>
    ComponentDown,

    /// <summary>One queue's executors are stuck: no idle executor, nothing served, the backlog grows.</summary>
    QueueStarvation,
}

/// <summary>The kinds' names on the command line and in logs (kebab-case).</summary>
public static class IncidentKinds
{
    public static readonly IncidentKind[] All =
        [IncidentKind.ErrorSpike, IncidentKind.SlowPhase, IncidentKind.CostSpike, IncidentKind.ComponentDown, IncidentKind.QueueStarvation];

    public static string Name(this IncidentKind kind) => kind switch
    {
        IncidentKind.ErrorSpike => "error-spike",
        IncidentKind.SlowPhase => "slow-phase",
        IncidentKind.CostSpike => "cost-spike",
        IncidentKind.ComponentDown => "component-down",
        IncidentKind.QueueStarvation => "queue-starvation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? text, out IncidentKind kind)
    {
        foreach (var k in All)
        {
            if (string.Equals(k.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string Names => string.Join(", ", All.Select(k => k.Name()));
}
