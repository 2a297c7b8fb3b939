namespace PerfOtel.Collector.Probes;

/// <summary>
/// The latest known state of one component, read by the metric callbacks at scrape time. One writer (the component's
/// probe loop) replaces an immutable snapshot; readers never see a half-updated state and never wait.
/// </summary>
public sealed class ProbeState
{
    private ProbeSnapshot? latest;

    public ProbeState(ComponentProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        Probe = probe;
        Tags = [new(ProbeMetrics.AttrComponent, probe.Name), new(ProbeMetrics.AttrProbeKind, probe.Kind)];
    }

    public ComponentProbe Probe { get; }

    /// <summary>null until the first probe has ended: a component not probed yet is neither up nor down.</summary>
    public ProbeSnapshot? Latest => Volatile.Read(ref latest);

    /// <summary>The metric attributes, built once.</summary>
    internal KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>
    /// Records a result. Returns true when the component went from up to down or back; the state before the first
    /// probe counts as up, so a component down at start is reported once and a healthy start stays quiet.
    /// </summary>
    public bool Apply(ProbeResult result)
    {
        var previous = latest;
        var failures = result.Up ? 0 : (previous?.ConsecutiveFailures ?? 0) + 1;
        Volatile.Write(ref latest, new ProbeSnapshot(result.Up, failures, result.Failure));
        return (previous?.Up ?? true) != result.Up;
    }
}

/// <summary>A component's state after a probe.</summary>
public sealed record ProbeSnapshot(bool Up, long ConsecutiveFailures, string? Failure);
