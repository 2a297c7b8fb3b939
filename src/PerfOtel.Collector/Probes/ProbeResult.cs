namespace PerfOtel.Collector.Probes;

/// <summary>The outcome of one probe: up or not, how long it took, and why it failed (null when up).</summary>
public readonly record struct ProbeResult(bool Up, TimeSpan Duration, string? Failure)
{
    public static ProbeResult Success(TimeSpan duration) => new(true, duration, null);

    public static ProbeResult Failed(TimeSpan duration, string failure) => new(false, duration, failure);
}
